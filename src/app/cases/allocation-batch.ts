import { bestPool, placeAll, type BedPool } from '../../domain/cases/allocator.ts';
import { TRANSFER_EVENT_TYPES } from '../../domain/cases/events.ts';
import { assertOrderMove, type TransferStatus } from '../../domain/cases/transfer-order.ts';
import { takeBedNumbersMany } from '../../store/cases/bed-batches.ts';
import { insertAssignments, loadBedPools, reserveBed, type NewAssignment } from '../../store/cases/beds.ts';
import { updateOrder, updateOrdersPlaced, type OrderRow } from '../../store/cases/orders.ts';
import type { UnitOfWork } from '../context.ts';
import type { Actor } from './actor.ts';
import { allocationPatch, asPool, placementRequest } from './allocation.ts';
import { loadFacilities } from './facilities-cache.ts';
import { recordOrderSteps } from './publish.ts';
import { forgetPoolSnapshot, markUnplaced } from './transfer-orders.ts';

/**
 * Batch allocation: the command's "confirm all proposals" and the benchmark. The domain allocator
 * plans the whole batch on one snapshot; every pool's share is reserved by the conditional update
 * of its counter (all pools in one statement, store/cases/bed-batches.ts), and the bed rows and
 * order rows of all pools are written together.
 */
export interface BatchAllocation {
  allocated: OrderRow[];
  /** Orders no free bed fits: they stay waiting, marked unplaced (the shortage alert counts them). */
  unplaced: OrderRow[];
}

function allocatedRow(order: OrderRow, pool: BedPool, bedNo: number, actor: Actor, now: number): OrderRow {
  return {
    ...order,
    status: 'allocated',
    facility_id: pool.facilityId,
    facility_district_id: pool.districtId,
    bed_kind: pool.bedKind,
    bed_no: bedNo,
    proposed_facility_id: pool.facilityId,
    override_reason: null,
    allocated_at: now,
    allocated_by: actor.userId,
    unplaced_at: null,
  };
}

/** One order against the live pools, next-best pool whenever a reservation loses a race. */
async function placeOne(
  uow: UnitOfWork,
  order: OrderRow,
  working: BedPool[],
  actor: Actor,
): Promise<OrderRow | null> {
  const request = placementRequest(order);
  for (let best = bestPool(request, working); best; best = bestPool(request, working)) {
    const bedNo = await reserveBed(uow.trx, {
      ...best.proposal,
      orderId: order.id,
      personId: order.person_id,
      now: uow.now,
    });
    if (bedNo === null) {
      best.pool.free = 0;
      continue;
    }
    best.pool.free -= 1;
    const placed = allocatedRow(order, best.pool, bedNo, actor, uow.now);
    await updateOrder(uow.trx, order.id, allocationPatch(placed));
    return placed;
  }
  return null;
}

/**
 * Confirms the allocator's proposals for many waiting orders at once (the command's "confirm all",
 * and the benchmark). The domain allocator plans the whole batch on one snapshot of free beds;
 * each pool's share is then reserved by a conditional update of its counter. A pool that changed
 * meanwhile (another batch took beds) falls back to placing its orders one by one on fresh counts.
 */
export async function allocateOrders(
  uow: UnitOfWork,
  orders: readonly OrderRow[],
  actor: Actor,
): Promise<BatchAllocation> {
  for (const o of orders) {
    if (o.status !== 'waiting') assertOrderMove(o.id, o.status as TransferStatus, 'allocated');
  }
  const snapshot = (await loadBedPools(uow.trx)).map(asPool);
  const groups = new Map<string, { pool: BedPool; orders: OrderRow[] }>();
  const unplaced: OrderRow[] = [];
  placeAll(orders.map(placementRequest), snapshot).forEach(({ proposal }, i) => {
    if (!proposal) {
      unplaced.push(orders[i]);
      return;
    }
    const key = `${proposal.facilityId}|${proposal.bedKind}`;
    const pool = snapshot.find(
      (p) => p.facilityId === proposal.facilityId && p.bedKind === proposal.bedKind,
    )!;
    const group = groups.get(key) ?? { pool, orders: [] };
    group.orders.push(orders[i]);
    groups.set(key, group);
  });
  const allocated: OrderRow[] = [];
  const lost: OrderRow[] = [];
  const assignments: NewAssignment[] = [];
  const shares = [...groups.values()];
  const numbers = await takeBedNumbersMany(
    uow.trx,
    shares.map(({ pool, orders: members }) => ({ ...pool, count: members.length })),
  );
  for (const [i, { pool, orders: members }] of shares.entries()) {
    const bedNos = numbers[i];
    if (!bedNos) {
      lost.push(...members);
      continue;
    }
    members.forEach((o, k) => {
      assignments.push({
        districtId: pool.districtId,
        facilityId: pool.facilityId,
        bedKind: pool.bedKind,
        bedNo: bedNos[k],
        orderId: o.id,
        personId: o.person_id,
      });
      allocated.push(allocatedRow(o, pool, bedNos[k], actor, uow.now));
    });
  }
  // Every pool's share in one insert and one update (per chunk), not one of each per pool: a
  // batch of 500 orders spreads over some 70 pools at the peak.
  await insertAssignments(uow.trx, assignments, uow.now);
  if (allocated.length) {
    const common = allocationPatch(allocated[0]);
    for (const column of [
      'facility_id',
      'facility_district_id',
      'bed_kind',
      'bed_no',
      'proposed_facility_id',
    ] as const) {
      delete common[column];
    }
    await updateOrdersPlaced(
      uow.trx,
      allocated.map((r) => ({
        id: r.id,
        facilityId: r.facility_id!,
        facilityDistrictId: r.facility_district_id!,
        bedKind: r.bed_kind!,
        bedNo: r.bed_no!,
      })),
      common,
    );
  }
  if (lost.length) {
    const fresh = (await loadBedPools(uow.trx)).map(asPool);
    for (const order of lost) {
      const placed = await placeOne(uow, order, fresh, actor);
      if (placed) allocated.push(placed);
      else unplaced.push(order);
    }
  }
  forgetPoolSnapshot(uow);
  const wasUnplaced = new Set(orders.filter((o) => o.unplaced_at != null).map((o) => o.id));
  const facilities = await loadFacilities(
    uow.trx,
    allocated.map((o) => o.facility_id!),
  );
  await recordOrderSteps(
    uow,
    TRANSFER_EVENT_TYPES.allocated,
    allocated.map((o) => ({
      order: o,
      from: 'waiting',
      facility: facilities.get(o.facility_id!) ?? null,
      extra: { wasUnplaced: wasUnplaced.has(o.id) },
    })),
    actor,
  );
  await markUnplaced(uow, unplaced, actor);
  return { allocated, unplaced };
}
