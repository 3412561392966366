import type { Principal } from '../../domain/access/principal.ts';
import { invalid } from '../../domain/errors.ts';
import { applyManual, type ManualRequest } from '../../domain/zones/apply.ts';
import { assertDecisionReason, assertMayDecideZones } from '../../domain/zones/policy.ts';
import { designationsOfPlaces, placesInfo, type StoredDesignation } from '../../store/zones/designations.ts';
import { inTransaction, type AppContext } from '../context.ts';
import { assertPlaceInScope } from './decisions.ts';
import { placeFieldsOf, saveDesignations, type DesignationMove } from './designations.ts';
import { zoneRuntime } from './runtime.ts';

/**
 * Designating many places by hand at once (静态管理 of a district's compounds, the three zones):
 * every item is checked — place, scope, phase, reason — before anything is written, then all are
 * written in one unit of work through the same `saveDesignations` as a single designation. One
 * bad item refuses the batch, naming `items.<index>.<field>`. A place already at the asked level
 * and phase is left as it is, so a retried batch changes nothing.
 */
export interface BatchItem extends ManualRequest {
  reason: string;
}

export const MAX_BATCH_DESIGNATIONS = 5000;

export interface BatchResult {
  /** Per item, in the request's order: the place's designation and whether this batch moved it. */
  items: { placeId: number; designationId: number; changed: boolean }[];
  changed: number;
  unchanged: number;
}

export async function designatePlaces(
  ctx: AppContext,
  principal: Principal,
  items: readonly BatchItem[],
): Promise<BatchResult> {
  assertMayDecideZones(principal.role);
  if (items.length > MAX_BATCH_DESIGNATIONS) {
    throw invalid('items', `at most ${MAX_BATCH_DESIGNATIONS} places a batch`, items.length);
  }
  const reasons = items.map((item, i) => assertDecisionReason(item.reason, `items.${i}.reason`));
  const seen = new Map<number, number>();
  items.forEach((item, i) => {
    const first = seen.get(item.placeId);
    if (first !== undefined) {
      throw invalid(`items.${i}.placeId`, `place ${item.placeId} is already item ${first}`, item.placeId);
    }
    seen.set(item.placeId, i);
  });
  return inTransaction(ctx, async (uow) => {
    const placeIds = items.map((i) => i.placeId);
    const places = await placesInfo(uow.trx, placeIds);
    items.forEach((item, i) => {
      const place = places.get(item.placeId);
      if (!place) throw invalid(`items.${i}.placeId`, 'no such place', item.placeId);
      assertPlaceInScope(
        ctx,
        principal,
        { committeeId: place.committeeId, streetId: place.streetId, placeId: place.id },
        `items.${i}.placeId`,
      );
    });
    const rt = await zoneRuntime(ctx, uow, { userId: principal.userId, username: principal.username });
    const current = await designationsOfPlaces(uow.trx, placeIds);
    const moves: DesignationMove[] = [];
    const kept = new Map<number, StoredDesignation>();
    items.forEach((item, i) => {
      const before = current.get(item.placeId) ?? null;
      const draft = applyManual(rt.zones.levels[item.level].phases, before, item, rt.today, uow.now, {
        keepIfAtLevel: true,
        field: `items.${i}.phase`,
      });
      if (!draft) {
        kept.set(item.placeId, before!);
        return;
      }
      moves.push({
        before,
        draft,
        options: { change: 'manual', reason: { code: 'manual', text: reasons[i] } },
        place: placeFieldsOf(places.get(item.placeId)!),
      });
    });
    const saved = new Map((await saveDesignations(rt, moves)).map((d) => [d.placeId, d]));
    return {
      items: items.map((item) => {
        const d = saved.get(item.placeId) ?? kept.get(item.placeId)!;
        return { placeId: item.placeId, designationId: d.id, changed: saved.has(item.placeId) };
      }),
      changed: saved.size,
      unchanged: kept.size,
    };
  });
}
