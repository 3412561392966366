import { assertCaseMove, type CaseState } from '../../domain/cases/case.ts';
import { TRANSFER_EVENT_TYPES } from '../../domain/cases/events.ts';
import type { TransferNeed } from '../../domain/cases/risk.ts';
import { assertOrderMove, requireReason, type TransferStatus } from '../../domain/cases/transfer-order.ts';
import { DomainError, invalid } from '../../domain/errors.ts';
import { findCaseHeads, findCases, setCaseState } from '../../store/cases/case-rows.ts';
import { liveAssignments, releaseAssignments } from '../../store/cases/bed-assignments.ts';
import { updateOrder, updateOrders, type OrderPatch, type OrderRow } from '../../store/cases/orders.ts';
import type { UnitOfWork } from '../context.ts';
import type { Actor } from './actor.ts';
import { loadFacilities } from './facilities-cache.ts';
import { recordCaseMoves, recordOrderSteps } from './publish.ts';
import { createTransferOrder, forgetPoolSnapshot } from './transfer-orders.ts';

/**
 * The road between the allocation and the facility: dispatch (vehicle sent), pick-up, arrival —
 * each timestamped, each for many orders at once (a vehicle carries several people), all or
 * nothing: one order out of step refuses the whole batch and changes nothing.
 */
type Step = 'dispatched' | 'picked_up' | 'arrived';

const STEP_EVENT = {
  dispatched: TRANSFER_EVENT_TYPES.dispatched,
  picked_up: TRANSFER_EVENT_TYPES.pickedUp,
  arrived: TRANSFER_EVENT_TYPES.arrived,
} as const;

/** A change that applies to some of the orders moved (one vehicle's, in a fleet dispatch). */
interface Patch {
  ids: readonly number[];
  patch: OrderPatch;
}

async function moveOrders(
  uow: UnitOfWork,
  orders: readonly OrderRow[],
  step: Step,
  patches: readonly Patch[],
  actor: Actor,
): Promise<OrderRow[]> {
  if (orders.length === 0) throw invalid('orderIds', 'name at least one order');
  for (const o of orders) assertOrderMove(o.id, o.status as TransferStatus, step);
  const patchOf = new Map<number, OrderPatch>();
  for (const { ids, patch } of patches) {
    await updateOrders(uow.trx, ids, { ...patch, status: step });
    for (const id of ids) patchOf.set(id, patch);
  }
  const moved = orders.map((o) => ({ ...o, ...patchOf.get(o.id), status: step }) as OrderRow);
  const facilities = await loadFacilities(
    uow.trx,
    moved.map((o) => o.facility_id).filter((id): id is number => id != null),
  );
  await recordOrderSteps(
    uow,
    STEP_EVENT[step],
    moved.map((o, i) => ({
      order: o,
      from: orders[i].status,
      facility: o.facility_id ? (facilities.get(o.facility_id) ?? null) : null,
    })),
    actor,
  );
  return moved;
}

/** One vehicle of a dispatch and the orders it carries. */
export interface VehicleLoad {
  vehicle: string;
  orderIds: readonly number[];
}

export interface DispatchInput {
  transportOrgId: number;
  /** One vehicle, or a fleet sent at once (调度): each order in exactly one. */
  vehicles: readonly VehicleLoad[];
}

function checkLoads(orders: readonly OrderRow[], vehicles: readonly VehicleLoad[]): void {
  if (vehicles.length === 0) throw invalid('vehicles', 'name at least one vehicle');
  const named = new Set(orders.map((o) => o.id));
  const carried = new Set<number>();
  vehicles.forEach((v, i) => {
    if (!v.vehicle?.trim()) {
      throw invalid(
        vehicles.length === 1 ? 'vehicle' : `vehicles.${i}.vehicle`,
        'name the vehicle (plate or call sign)',
      );
    }
    for (const id of v.orderIds) {
      if (!named.has(id) || carried.has(id)) {
        throw invalid(
          `vehicles.${i}.orderIds`,
          `order ${id} is not to be dispatched here or is in two vehicles`,
          id,
        );
      }
      carried.add(id);
    }
  });
  if (carried.size !== named.size) throw invalid('vehicles', 'every order goes in one vehicle');
}

/** Sends vehicles for allocated orders; their cases become in_transfer (转运中). */
export async function dispatchOrders(
  uow: UnitOfWork,
  orders: readonly OrderRow[],
  input: DispatchInput,
  actor: Actor,
): Promise<OrderRow[]> {
  checkLoads(orders, input.vehicles);
  const team = await uow.trx
    .selectFrom('organisations')
    .select(['id', 'kind'])
    .where('id', '=', input.transportOrgId)
    .executeTakeFirst();
  if (!team) {
    throw new DomainError('not_found', `transport team ${input.transportOrgId} not found`, [
      { field: 'transportOrgId', message: 'unknown organisation', value: input.transportOrgId },
    ]);
  }
  if (team.kind !== 'transport') {
    throw invalid(
      'transportOrgId',
      `organisation ${team.id} is a ${team.kind}, not a transport team`,
      team.id,
    );
  }
  const patches = input.vehicles.map((v) => ({
    ids: v.orderIds,
    patch: { transport_org_id: team.id, vehicle: v.vehicle.trim(), dispatched_at: uow.now },
  }));
  const moved = await moveOrders(uow, orders, 'dispatched', patches, actor);
  const caseIds = moved.map((o) => o.case_id).filter((id): id is number => id != null);
  const cases = await findCaseHeads(uow.trx, caseIds);
  for (const c of cases) assertCaseMove(c.id, c.state as CaseState, 'in_transfer');
  await setCaseState(
    uow.trx,
    cases.map((c) => c.id),
    'in_transfer',
    uow.now,
  );
  const facilities = await loadFacilities(
    uow.trx,
    moved.map((o) => o.facility_id!),
  );
  const facilityOfCase = new Map(
    moved.filter((o) => o.case_id != null).map((o) => [o.case_id!, facilities.get(o.facility_id!) ?? null]),
  );
  await recordCaseMoves(
    uow,
    cases.map((c) => ({
      row: c,
      from: c.state,
      to: 'in_transfer',
      facility: facilityOfCase.get(c.id) ?? null,
    })),
    actor,
  );
  return moved;
}

export async function pickUpOrders(
  uow: UnitOfWork,
  orders: readonly OrderRow[],
  actor: Actor,
): Promise<OrderRow[]> {
  return moveOrders(
    uow,
    orders,
    'picked_up',
    [{ ids: orders.map((o) => o.id), patch: { picked_up_at: uow.now } }],
    actor,
  );
}

export async function arriveOrders(
  uow: UnitOfWork,
  orders: readonly OrderRow[],
  actor: Actor,
): Promise<OrderRow[]> {
  return moveOrders(
    uow,
    orders,
    'arrived',
    [{ ids: orders.map((o) => o.id), patch: { arrived_at: uow.now } }],
    actor,
  );
}

/**
 * Cancels an order before admission and frees its bed. A case still needs a transfer, so a
 * cancelled case order is replaced by a fresh waiting one (same need, same confirmation time:
 * 日清日结 keeps counting from the original), unless `replace` is false (the case died, or was
 * admitted elsewhere).
 */
export async function cancelOrder(
  uow: UnitOfWork,
  order: OrderRow,
  reason: string,
  actor: Actor,
  replace = true,
): Promise<OrderRow | null> {
  const why = requireReason('reason', reason, 'cancelling a transfer order');
  assertOrderMove(order.id, order.status as TransferStatus, 'cancelled', 'orderId');
  await releaseAssignments(uow.trx, await liveAssignments(uow.trx, [order.id]), uow.now);
  forgetPoolSnapshot(uow);
  await updateOrder(uow.trx, order.id, { status: 'cancelled', cancelled_at: uow.now, cancel_reason: why });
  const facility = order.facility_id
    ? ((await loadFacilities(uow.trx, [order.facility_id])).get(order.facility_id) ?? null)
    : null;
  const cancelled: OrderRow = { ...order, status: 'cancelled', cancelled_at: uow.now, cancel_reason: why };
  await recordOrderSteps(
    uow,
    TRANSFER_EVENT_TYPES.cancelled,
    [{ order: cancelled, from: order.status, facility, reason: why }],
    actor,
  );
  if (order.case_id == null || !replace) return null;
  const [c] = await findCases(uow.trx, [order.case_id]);
  if (c && c.state === 'in_transfer') {
    await setCaseState(uow.trx, [c.id], 'awaiting_transfer', uow.now);
    await recordCaseMoves(uow, [{ row: c, from: c.state, to: 'awaiting_transfer', reason: why }], actor);
  }
  const { order: replacement } = await createTransferOrder(uow, {
    personId: order.person_id,
    need: order.need as TransferNeed,
    needReason: order.need_reason,
    source: { type: 'case', id: `${order.case_id}/after-${order.id}` },
    caseId: order.case_id,
    foundAt: order.found_at,
    actor,
  });
  return replacement;
}
