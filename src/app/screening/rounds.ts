import type { Principal } from '../../domain/access/principal.ts';
import { DomainError, invalid, notFound } from '../../domain/errors.ts';
import { DEFAULT_GROUP_OVERRIDES, roundPooling, type GroupOverride } from '../../domain/screening/pooling.ts';
import {
  effectivePooling,
  roundStatus,
  roundWindowProblem,
  type Round,
  type RoundKind,
} from '../../domain/screening/round.ts';
import { insertRound, loadRounds, markRoundClosed, placesByIds } from '../../store/screening/rounds-repo.ts';
import { inTransaction, type AppContext } from '../context.ts';
import { getActiveRuleSet } from '../kernel/rule-sets.ts';
import { regionOf, requireRole, ROUND_PLANNERS } from './access.ts';

/** Screening rounds: planned by command staff for an area and a window, with the rule set's pooling frozen in. */
export interface CreateRoundInput {
  name: string;
  kind: RoundKind;
  startsAt: number;
  endsAt: number;
  /** An area's first round uses smaller pools (10-in-1) where others use 20-in-1. */
  firstRound: boolean;
  regionIds: number[];
  placeIds: number[];
  overrides?: GroupOverride[];
}

export async function createRound(
  ctx: AppContext,
  principal: Principal,
  input: CreateRoundInput,
): Promise<Round> {
  requireRole(principal, ROUND_PLANNERS, 'plan screening rounds');
  const own = regionOf(principal);
  const window = roundWindowProblem(input.startsAt, input.endsAt);
  if (window) throw invalid(window.field, window.message);
  if (input.regionIds.length + input.placeIds.length === 0) {
    throw invalid('regionIds', 'a round needs at least one region or place');
  }
  input.regionIds.forEach((id, i) => {
    if (!ctx.regions.get(id)) throw invalid(`regionIds.${i}`, `region ${id} does not exist`, id);
    if (!ctx.regions.isWithin(id, own)) {
      throw new DomainError('out_of_scope', `region ${id} is outside your area`, [
        { field: `regionIds.${i}`, message: 'outside your area' },
      ]);
    }
  });
  const places = await placesByIds(ctx.store.db, input.placeIds);
  input.placeIds.forEach((id, i) => {
    const place = places.find((p) => Number(p.id) === id);
    if (!place) throw invalid(`placeIds.${i}`, `place ${id} does not exist`, id);
    const leaf = place.committee_id ?? place.street_id;
    if (!ctx.regions.isWithin(Number(leaf), own)) {
      throw new DomainError('out_of_scope', `place ${id} is outside your area`, [
        { field: `placeIds.${i}`, message: 'outside your area' },
      ]);
    }
  });
  const rules = await getActiveRuleSet(ctx);
  const pooling = effectivePooling(
    input.kind,
    roundPooling(
      `${rules.name}@${rules.version}`,
      rules.pooling,
      input.firstRound,
      input.overrides ?? DEFAULT_GROUP_OVERRIDES,
    ),
  );
  const id = await inTransaction(ctx, async (uow) => {
    const roundId = await insertRound(uow.trx, {
      ...input,
      pooling,
      createdAt: uow.now,
      createdBy: principal.userId,
    });
    const leaves = [...input.regionIds, ...places.map((p) => Number(p.committee_id ?? p.street_id))];
    uow.publish({
      type: 'round.created',
      occurredAt: uow.now,
      regionIds: leaves,
      payload: {
        roundId,
        name: input.name,
        kind: input.kind,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        firstRound: input.firstRound,
      },
    });
    return roundId;
  });
  return getRound(ctx, id);
}

export async function getRound(ctx: AppContext, id: number): Promise<Round> {
  const [round] = await loadRounds(ctx.store.db, [id]);
  if (!round) throw notFound(`round ${id}`);
  return round;
}

/** Regions a round's scope touches (its regions and its places' committees or streets), for overlap with a caller's area. */
async function roundRegions(ctx: AppContext, rounds: readonly Round[]): Promise<Map<number, number[]>> {
  const places = await placesByIds(ctx.store.db, [...new Set(rounds.flatMap((r) => r.scope.placeIds))]);
  const leafOf = new Map(places.map((p) => [Number(p.id), Number(p.committee_id ?? p.street_id)]));
  return new Map(
    rounds.map((r) => [
      r.id,
      [...r.scope.regionIds, ...r.scope.placeIds.map((id) => leafOf.get(id)!).filter(Boolean)],
    ]),
  );
}

/**
 * Rounds a caller works with: region users see rounds that overlap their area (a citywide round
 * covers every street; a street's round is seen by its district and city); samplers and labs see
 * every round, since rounds carry no personal data and any site may sample any round.
 */
export async function listRounds(
  ctx: AppContext,
  principal: Principal,
): Promise<(Round & { status: string })[]> {
  const rounds = await loadRounds(ctx.store.db);
  const now = ctx.clock.now();
  const scope = principal.scope;
  let visible = rounds;
  if (scope.kind === 'region') {
    const regions = await roundRegions(ctx, rounds);
    const own = scope.regionId;
    visible = rounds.filter((r) =>
      regions.get(r.id)!.some((id) => ctx.regions.isWithin(id, own) || ctx.regions.isWithin(own, id)),
    );
  }
  return visible.map((r) => ({ ...r, status: roundStatus(r, now) }));
}

export async function closeRound(ctx: AppContext, principal: Principal, id: number): Promise<Round> {
  requireRole(principal, ROUND_PLANNERS, 'close screening rounds');
  const round = await getRound(ctx, id);
  const own = regionOf(principal);
  if (!round.scope.regionIds.every((r) => ctx.regions.isWithin(r, own))) {
    throw new DomainError('out_of_scope', `round ${id} reaches outside your area`);
  }
  await inTransaction(ctx, async (uow) => {
    await markRoundClosed(uow.trx, id, uow.now);
    uow.publish({
      type: 'round.closed',
      occurredAt: uow.now,
      regionIds: round.scope.regionIds,
      payload: { roundId: id },
    });
  });
  return getRound(ctx, id);
}
