import type { AppContext } from '../../../app/context.ts';
import { coverageByChild, type RegionLevel } from '../../../store/screening/coverage-repo.ts';
import type { SectionSource } from '../area.ts';
import { currentRound } from './current-round.ts';

/** The grouping column of screening's own coverage query, one level below the area. */
const CHILD = {
  city: 'p.district_id',
  district: 'p.street_id',
  street: 'p.committee_id',
  committee: 'p.place_id',
} as const;

const levelMaps = new WeakMap<object, Map<number, RegionLevel>>();

function levels(ctx: AppContext): Map<number, RegionLevel> {
  let map = levelMaps.get(ctx.regions);
  if (!map) {
    map = new Map(ctx.regions.all().map((r) => [r.id, r.level]));
    levelMaps.set(ctx.regions, map);
  }
  return map;
}

/**
 * 应检 / 已采 of the current round in the area, by screening's own query (`coverageByChild`):
 * residents in the round's scope less those in isolation, and who has a screening sample in it.
 * The map's `coverage` measure is each child's sampled share.
 */
export const coverageSection: SectionSource<'coverage'> = {
  key: 'coverage',
  async compute(ctx, area) {
    const current = await currentRound(ctx, area);
    if (!current) return { data: { round: null, expected: 0, sampled: 0 } };
    const { round, status } = current;
    const rows = await coverageByChild(
      ctx.store.db,
      round,
      levels(ctx),
      { level: area.region.level, id: area.region.id },
      CHILD[area.region.level],
      area.now,
    );
    let expected = 0;
    let sampled = 0;
    const share = new Map<number, number>();
    for (const row of rows) {
      const due = Math.max(0, row.residents - row.isolated);
      expected += due;
      sampled += row.tested;
      if (row.key != null && due > 0) share.set(row.key, Math.min(1, row.tested / due));
    }
    return {
      data: {
        round: { id: round.id, name: round.name, startedAt: round.startsAt, status },
        expected,
        sampled,
      },
      measures: area.childColumn ? { coverage: share } : undefined,
    };
  },
};
