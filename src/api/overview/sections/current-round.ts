import type { AppContext } from '../../../app/context.ts';
import { roundStatus, type Round } from '../../../domain/screening/round.ts';
import { loadRounds, placesByIds } from '../../../store/screening/rounds-repo.ts';
import type { OverviewArea } from '../area.ts';

export interface CurrentRound {
  round: Round;
  status: 'planned' | 'open' | 'ended';
}

/** Whether a round's scope (regions, and places through their committee or street) touches the area. */
async function touches(ctx: AppContext, round: Round, regionId: number): Promise<boolean> {
  const near = (id: number) => ctx.regions.isWithin(id, regionId) || ctx.regions.isWithin(regionId, id);
  if (round.scope.regionIds.some(near)) return true;
  if (round.scope.placeIds.length === 0) return false;
  const places = await placesByIds(ctx.store.db, round.scope.placeIds);
  return places.some((p) => near(Number(p.committee_id ?? p.street_id)));
}

/**
 * The round the command picture follows for an area: the open round that started last, else the
 * latest one that has started (ended) — the figures of the last round stay meaningful between
 * rounds. A planned round has no samples yet and is not current. Rounds are few (one or two a
 * day at most), so reading them all is cheap.
 */
export async function currentRound(ctx: AppContext, area: OverviewArea): Promise<CurrentRound | null> {
  const rounds = (await loadRounds(ctx.store.db))
    .map((round) => ({ round, status: roundStatus(round, area.now) }))
    .filter((r) => r.status !== 'planned')
    .sort((a, b) => b.round.startsAt - a.round.startsAt || b.round.id - a.round.id);
  for (const wanted of ['open', 'ended'] as const) {
    for (const r of rounds) {
      if (r.status === wanted && (await touches(ctx, r.round, area.region.id))) return r;
    }
  }
  return null;
}
