import type { Principal } from '../../domain/access/principal.ts';
import { DomainError } from '../../domain/errors.ts';
import { STAGES, stageFigures, type Histogram, type StageName } from '../../domain/screening/stages.ts';
import {
  stageBacklogs,
  stageHistograms,
  type StageFilter,
  type StageGroup,
} from '../../store/screening/stages-repo.ts';
import type { AppContext } from '../context.ts';
import { regionInScope, requireRole, SCREENING_VIEWERS } from './access.ts';

/**
 * Stage timing (采送检报全流程协同和精准调度): per group — district, street, site or lab — the
 * backlog waiting in each stage and the p50 / p90 time each stage took. By default the groups are
 * the children of the caller's area (city → districts, district → streets, street → sites).
 */
export type StageGroupBy = 'district' | 'street' | 'site' | 'lab';

const COLUMN: Record<StageGroupBy, StageGroup> = {
  district: 'district_id',
  street: 'street_id',
  site: 'site_id',
  lab: 'lab_id',
};
const DAY = 86_400_000;

export async function stageTiming(
  ctx: AppContext,
  principal: Principal,
  options: { regionId?: number; roundId?: number; since?: number; by?: StageGroupBy },
) {
  requireRole(principal, SCREENING_VIEWERS, 'see stage timing');
  const regionId = regionInScope(ctx, principal, options.regionId);
  const region = ctx.regions.get(regionId)!;
  const by: StageGroupBy =
    options.by ?? (region.level === 'city' ? 'district' : region.level === 'district' ? 'street' : 'site');
  if (by === 'district' && region.level !== 'city') {
    throw new DomainError('validation_failed', 'by=district needs a citywide view', [
      { field: 'by', message: 'not below the city' },
    ]);
  }
  const filter: StageFilter = {
    roundId: options.roundId,
    since: options.roundId == null ? (options.since ?? ctx.clock.now() - DAY) : options.since,
    districtId: region.level === 'city' ? undefined : region.districtId!,
    streetId: region.level === 'street' || region.level === 'committee' ? region.streetId! : undefined,
  };
  const column = COLUMN[by];
  const [histograms, backlogs] = await Promise.all([
    stageHistograms(ctx.store.db, column, filter),
    stageBacklogs(ctx.store.db, column, filter),
  ]);
  const groups = new Map<
    number | null,
    { backlog: Record<StageName, number>; histograms: Map<StageName, Histogram> }
  >();
  const groupOf = (key: number | null) => {
    let g = groups.get(key);
    if (!g) {
      groups.set(
        key,
        (g = {
          backlog: Object.fromEntries(STAGES.map((s) => [s.name, 0])) as Record<StageName, number>,
          histograms: new Map(),
        }),
      );
    }
    return g;
  };
  for (const b of backlogs) groupOf(b.key).backlog = b.backlog;
  const total = groupOf(-1);
  for (const h of histograms) {
    for (const g of [groupOf(h.key), total]) {
      const hist = g.histograms.get(h.stage) ?? new Map<number, number>();
      hist.set(h.bucket, (hist.get(h.bucket) ?? 0) + h.n);
      g.histograms.set(h.stage, hist);
    }
  }
  for (const b of backlogs) for (const s of STAGES) total.backlog[s.name] += b.backlog[s.name];
  const present = (g: NonNullable<ReturnType<typeof groups.get>>) =>
    STAGES.map((s) => stageFigures(s.name, g.backlog[s.name], g.histograms.get(s.name) ?? new Map()));
  groups.delete(-1);
  return {
    regionId,
    by,
    roundId: options.roundId ?? null,
    since: filter.since ?? null,
    total: present(total),
    groups: [...groups.entries()]
      .sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0))
      .map(([key, g]) => ({ id: key, stages: present(g) })),
  };
}
