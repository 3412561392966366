import { bestPool } from '../../domain/cases/allocator.ts';
import { TRANSFER_EVENT_TYPES } from '../../domain/cases/events.ts';
import { isContactNeed, TRANSFER_NEEDS, type TransferNeed } from '../../domain/cases/risk.ts';
import type { TransferSource } from '../../domain/cases/transfer-order.ts';
import { invalid, notFound } from '../../domain/errors.ts';
import { loadBedPools, type PoolRow } from '../../store/cases/beds.ts';
import { findOrderBySource, insertOrder, updateOrder, type OrderRow } from '../../store/cases/orders.ts';
import { loadProfile } from '../../store/cases/people.ts';
import type { UnitOfWork } from '../context.ts';
import { SYSTEM_ACTOR, type Actor } from './actor.ts';
import { recordOrderSteps } from './publish.ts';

/**
 * Transfer orders (转运单) are made here, for cases (by the case intake) and for close contacts
 * ordered into central quarantine (by tracing): "应转尽转" — everyone who must be moved has one.
 */
export interface TransferOrderInput {
  personId: number;
  need: TransferNeed;
  /** What the order is for; one order per person and source (a retry finds the same order). */
  source: TransferSource;
  caseId?: number | null;
  /** When the person was confirmed: 日清日结 counts from here. Defaults to now. */
  foundAt?: number;
  /** Why this need (e.g. `high_risk:age+chronic`), shown to whoever confirms the allocation. */
  needReason?: string;
  /** The person's district when the caller knows it (a key look-up on PostgreSQL). */
  districtHint?: number | null;
  actor?: Actor;
}

export interface CreatedOrder {
  order: OrderRow;
  created: boolean;
}

/** Bed pools read once per transaction: proposals at creation only need a consistent snapshot. */
const poolSnapshots = new WeakMap<object, PoolRow[]>();

async function poolsOf(uow: UnitOfWork): Promise<PoolRow[]> {
  let pools = poolSnapshots.get(uow.trx);
  if (!pools) {
    pools = await loadBedPools(uow.trx);
    poolSnapshots.set(uow.trx, pools);
  }
  return pools;
}

/** Forgets the transaction's snapshot after beds changed in it (reservation, admission, discharge). */
export function forgetPoolSnapshot(uow: UnitOfWork): void {
  poolSnapshots.delete(uow.trx);
}

function validate(input: TransferOrderInput): void {
  if (!Number.isInteger(input.personId) || input.personId <= 0) {
    throw invalid('personId', 'must be a positive integer', input.personId);
  }
  if (!TRANSFER_NEEDS.includes(input.need)) {
    throw invalid('need', `must be one of ${TRANSFER_NEEDS.join(', ')}`, input.need);
  }
  if (!input.source?.type?.trim() || !input.source.id?.trim()) {
    throw invalid('source', 'give the source type and id');
  }
  if (input.foundAt !== undefined && !Number.isFinite(input.foundAt)) {
    throw invalid('foundAt', 'must be an instant (epoch ms)', input.foundAt);
  }
}

/**
 * Creates the order (status `waiting`) in the caller's unit of work and asks the allocator whether
 * a bed is free for it now: if not, the order is marked unplaced and `transfer.unplaced` raises
 * the shortage alert. Idempotent per (person, source).
 */
export async function createTransferOrder(uow: UnitOfWork, input: TransferOrderInput): Promise<CreatedOrder> {
  validate(input);
  const actor = input.actor ?? SYSTEM_ACTOR;
  const profile = await loadProfile(uow.trx, input.personId, input.districtHint);
  if (!profile) throw notFound(`person ${input.personId}`);
  const existing = await findOrderBySource(
    uow.trx,
    profile.districtId,
    input.personId,
    input.source.type,
    input.source.id,
  );
  if (existing) return { order: existing, created: false };

  const pools = await poolsOf(uow);
  const request = {
    need: input.need,
    critical: input.need === 'case_critical',
    districtId: profile.districtId,
    lng: profile.lng,
    lat: profile.lat,
  };
  const best = bestPool(request, pools);
  const inserted = await insertOrder(uow.trx, {
    district_id: profile.districtId,
    street_id: profile.streetId,
    committee_id: profile.committeeId,
    person_id: input.personId,
    case_id: input.caseId ?? null,
    kind: isContactNeed(input.need) ? 'contact' : 'case',
    need: input.need,
    need_reason: input.needReason ?? '',
    source_type: input.source.type,
    source_id: input.source.id,
    status: 'waiting',
    found_at: input.foundAt ?? uow.now,
    pickup_lng: profile.lng,
    pickup_lat: profile.lat,
    proposed_facility_id: best?.pool.facilityId ?? null,
    unplaced_at: best ? null : uow.now,
    created_at: uow.now,
    created_by: actor.userId,
  });
  if (!inserted) {
    // A concurrent writer made it between our read and our insert.
    const raced = await findOrderBySource(
      uow.trx,
      profile.districtId,
      input.personId,
      input.source.type,
      input.source.id,
    );
    if (!raced) throw notFound(`transfer order for person ${input.personId}`);
    return { order: raced, created: false };
  }
  await recordOrderSteps(
    uow,
    TRANSFER_EVENT_TYPES.created,
    [{ order: inserted, from: null, facility: null }],
    actor,
  );
  if (!best) {
    await recordOrderSteps(
      uow,
      TRANSFER_EVENT_TYPES.unplaced,
      [{ order: inserted, from: 'waiting', facility: null, reason: 'no free bed' }],
      actor,
    );
  }
  return { order: inserted, created: true };
}

/** Marks orders the allocator could not place (keeps the first time it happened). */
export async function markUnplaced(
  uow: UnitOfWork,
  orders: readonly OrderRow[],
  actor: Actor,
): Promise<void> {
  const fresh = orders.filter((o) => o.unplaced_at == null);
  for (const o of fresh) await updateOrder(uow.trx, o.id, { unplaced_at: uow.now });
  await recordOrderSteps(
    uow,
    TRANSFER_EVENT_TYPES.unplaced,
    orders.map((o) => ({
      order: { ...o, unplaced_at: o.unplaced_at ?? uow.now },
      from: o.status,
      facility: null,
      reason: 'no free bed',
    })),
    actor,
  );
}
