import {
  proposeFacilities,
  type BedPool,
  type PlacementRequest,
  type Proposal,
} from '../../domain/cases/allocator.ts';
import { TRANSFER_EVENT_TYPES } from '../../domain/cases/events.ts';
import { admitsNeed, bedKindFits } from '../../domain/cases/facility.ts';
import type { TransferNeed } from '../../domain/cases/risk.ts';
import { assertOrderMove, requireReason, type TransferStatus } from '../../domain/cases/transfer-order.ts';
import { DomainError, invalid } from '../../domain/errors.ts';
import { liveAssignments, releaseAssignments } from '../../store/cases/bed-assignments.ts';
import { loadBedPools, reserveBed, type PoolRow } from '../../store/cases/beds.ts';
import { updateOrder, type OrderPatch, type OrderRow } from '../../store/cases/orders.ts';
import type { UnitOfWork } from '../context.ts';
import type { Actor } from './actor.ts';
import { loadFacilities } from './facilities-cache.ts';
import { recordOrderSteps } from './publish.ts';
import { forgetPoolSnapshot } from './transfer-orders.ts';

/**
 * Allocation (分配床位): the domain allocator proposes, a user confirms or overrides, and the
 * database reserves the bed — or refuses when another confirmation took it first.
 */
export function placementRequest(o: OrderRow): PlacementRequest {
  return {
    need: o.need as TransferNeed,
    critical: o.need === 'case_critical',
    districtId: o.district_id,
    lng: o.pickup_lng,
    lat: o.pickup_lat,
  };
}

export function asPool(p: PoolRow): BedPool {
  return {
    facilityId: p.facilityId,
    facilityKind: p.facilityKind,
    districtId: p.districtId,
    bedKind: p.bedKind,
    admits: p.admits,
    lng: p.lng,
    lat: p.lat,
    free: p.free,
  };
}

/** The allocator's ranked proposals for an order, from the beds free right now. */
export async function proposalsFor(uow: UnitOfWork, order: OrderRow, limit = 5): Promise<Proposal[]> {
  const pools = (await loadBedPools(uow.trx)).map(asPool);
  return proposeFacilities(placementRequest(order), pools, limit);
}

export interface AllocationChoice {
  /** Omitted: take the allocator's first proposal. */
  facilityId?: number;
  bedKind?: string;
  /** Required when the choice differs from the first proposal or the facility does not admit the need. */
  overrideReason?: string | null;
}

const REALLOCATABLE: readonly TransferStatus[] = ['waiting', 'allocated'];

/**
 * Confirms (or overrides) the allocation of one order and reserves its bed. A re-allocation frees
 * the previous bed in the same transaction. Nothing changes when the bed cannot be had.
 */
export async function allocateOrder(
  uow: UnitOfWork,
  order: OrderRow,
  choice: AllocationChoice,
  actor: Actor,
): Promise<OrderRow> {
  if (!REALLOCATABLE.includes(order.status as TransferStatus)) {
    assertOrderMove(order.id, order.status as TransferStatus, 'allocated', 'orderId');
  }
  const pools = await loadBedPools(uow.trx);
  const request = placementRequest(order);
  const [top] = proposeFacilities(request, pools.map(asPool), 1);
  let target: { facilityId: number; bedKind: string; districtId: number };
  let overrideReason: string | null = null;
  if (choice.facilityId === undefined) {
    if (choice.bedKind !== undefined) throw invalid('bedKind', 'name the facility as well');
    if (!top) {
      throw new DomainError(
        'no_free_bed',
        `no facility has a free bed for ${order.need} (order ${order.id})`,
        [{ field: 'facilityId', message: 'no proposal' }],
      );
    }
    target = top;
  } else {
    const facility = (await loadFacilities(uow.trx, [choice.facilityId])).get(choice.facilityId);
    if (!facility) {
      throw new DomainError('not_found', `facility ${choice.facilityId} not found`, [
        { field: 'facilityId', message: 'unknown facility', value: choice.facilityId },
      ]);
    }
    const own = pools.filter((p) => p.facilityId === facility.id);
    const fitting = own.filter((p) =>
      choice.bedKind ? p.bedKind === choice.bedKind : bedKindFits(p.bedKind, request.critical),
    );
    if (fitting.length === 0) {
      throw invalid(
        'bedKind',
        `facility ${facility.id} has no ${choice.bedKind ?? 'suitable'} beds (it has ${own.map((p) => p.bedKind).join(', ') || 'none'})`,
        choice.bedKind,
      );
    }
    const pool = fitting.find((p) => p.free > 0);
    if (!pool) {
      throw new DomainError(
        'no_free_bed',
        `no free ${choice.bedKind ? `${choice.bedKind} ` : ''}bed left in facility ${facility.id}`,
        [{ field: 'facilityId', message: 'full', value: facility.id }],
      );
    }
    target = { facilityId: facility.id, bedKind: pool.bedKind, districtId: facility.districtId };
    const differs = !top || top.facilityId !== target.facilityId || top.bedKind !== target.bedKind;
    if (!admitsNeed(facility.admits, request.need)) {
      overrideReason = requireReason(
        'overrideReason',
        choice.overrideReason,
        `facility ${facility.id} does not admit ${request.need}: sending there`,
      );
    } else if (differs) {
      overrideReason = requireReason(
        'overrideReason',
        choice.overrideReason,
        'choosing another facility than the proposal',
      );
    }
  }
  const previous = await liveAssignments(uow.trx, [order.id]);
  await releaseAssignments(uow.trx, previous, uow.now);
  const bedNo = await reserveBed(uow.trx, {
    ...target,
    orderId: order.id,
    personId: order.person_id,
    now: uow.now,
  });
  if (bedNo === null) {
    throw new DomainError(
      'no_free_bed',
      `no free ${target.bedKind} bed left in facility ${target.facilityId}`,
      [{ field: 'facilityId', message: 'the last bed was taken', value: target.facilityId }],
    );
  }
  forgetPoolSnapshot(uow);
  const updated: OrderRow = {
    ...order,
    status: 'allocated',
    facility_id: target.facilityId,
    facility_district_id: target.districtId,
    bed_kind: target.bedKind,
    bed_no: bedNo,
    proposed_facility_id: top?.facilityId ?? null,
    override_reason: overrideReason,
    allocated_at: uow.now,
    allocated_by: actor.userId,
    unplaced_at: null,
  };
  await updateOrder(uow.trx, order.id, allocationPatch(updated));
  const facility = (await loadFacilities(uow.trx, [target.facilityId])).get(target.facilityId)!;
  await recordOrderSteps(
    uow,
    TRANSFER_EVENT_TYPES.allocated,
    [
      {
        order: updated,
        from: order.status,
        facility,
        reason: overrideReason,
        extra: { wasUnplaced: order.unplaced_at != null },
      },
    ],
    actor,
  );
  return updated;
}

/** The allocation columns of an order, for its update. */
export function allocationPatch(o: OrderRow): OrderPatch {
  return {
    status: o.status,
    facility_id: o.facility_id,
    facility_district_id: o.facility_district_id,
    bed_kind: o.bed_kind,
    bed_no: o.bed_no,
    proposed_facility_id: o.proposed_facility_id,
    override_reason: o.override_reason,
    allocated_at: o.allocated_at,
    allocated_by: o.allocated_by,
    unplaced_at: o.unplaced_at,
  };
}
