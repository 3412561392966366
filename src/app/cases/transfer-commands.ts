import type { Principal } from '../../domain/access/principal.ts';
import { requireAction } from '../../domain/cases/policy.ts';
import { DomainError, invalid } from '../../domain/errors.ts';
import { listTransitions } from '../../store/cases/case-rows.ts';
import { findOrders, listOrderRows, type OrderListFilter, type OrderRow } from '../../store/cases/orders.ts';
import { inTransaction, type AppContext, type UnitOfWork } from '../context.ts';
import { actorOf } from './actor.ts';
import { allocateOrders, type BatchAllocation } from './allocation-batch.ts';
import { allocateOrder, proposalsFor, type AllocationChoice } from './allocation.ts';
import { orderVisible, outOfScope, ownFacilityIds, regionFilter } from './scope.ts';
import { arriveOrders, cancelOrder, dispatchOrders, pickUpOrders, type VehicleLoad } from './transport.ts';

/** Transfer commands and reads for the API and CLI: role checked by policy, area by scope. */
export async function ordersInScope(
  ctx: AppContext,
  uow: UnitOfWork,
  principal: Principal,
  ids: readonly number[],
  field = 'orderIds',
): Promise<OrderRow[]> {
  if (ids.length === 0) throw invalid(field, 'name at least one order');
  if (new Set(ids).size !== ids.length) throw invalid(field, 'an order is named twice');
  const byId = new Map((await findOrders(uow.trx, ids)).map((o) => [o.id, o]));
  const out: OrderRow[] = [];
  for (const id of ids) {
    const order = byId.get(id);
    if (!order || !(await orderVisible(ctx, uow.trx, principal, order))) {
      throw outOfScope(`transfer order ${id}`);
    }
    out.push(order);
  }
  return out;
}

export type OrderQuery = Omit<OrderListFilter, 'region' | 'transportOrgId' | 'facilityIds'>;

/** Region users: orders of people in their area; transfer teams: their own; facility staff: those to their facility. */
export async function listOrdersFor(
  ctx: AppContext,
  principal: Principal,
  query: OrderQuery,
): Promise<OrderRow[]> {
  requireAction(principal, 'transfers.read');
  const db = ctx.store.db;
  if (principal.scope.kind === 'region') {
    return listOrderRows(db, { ...query, region: regionFilter(ctx, principal) });
  }
  if (principal.scope.kind === 'organisation' && principal.role === 'transfer') {
    return listOrderRows(db, { ...query, region: null, transportOrgId: principal.scope.organisationId });
  }
  return listOrderRows(db, { ...query, region: null, facilityIds: await ownFacilityIds(db, principal) });
}

export async function orderDetailFor(ctx: AppContext, principal: Principal, id: number) {
  requireAction(principal, 'transfers.read');
  return inTransaction(ctx, async (uow) => {
    const [order] = await ordersInScope(ctx, uow, principal, [id], 'id');
    const transitions = await listTransitions(uow.trx, order.district_id, 'transfer', id);
    const proposals =
      order.status === 'waiting' || order.status === 'allocated' ? await proposalsFor(uow, order) : [];
    return { order, transitions, proposals };
  });
}

export async function allocateFor(
  ctx: AppContext,
  principal: Principal,
  id: number,
  choice: AllocationChoice,
): Promise<OrderRow> {
  requireAction(principal, 'transfers.allocate');
  return inTransaction(ctx, async (uow) => {
    const [order] = await ordersInScope(ctx, uow, principal, [id], 'id');
    return allocateOrder(uow, order, choice, actorOf(principal));
  });
}

/** PostgreSQL may pick one of two batches that wait on each other's beds as a deadlock victim. */
function isRetryable(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === '40P01' || code === '40001';
}

/**
 * Confirms the allocator's proposals for many orders (named, or the oldest waiting ones in the
 * user's area). Retried when PostgreSQL resolves a deadlock between two such batches.
 */
export async function allocateManyFor(
  ctx: AppContext,
  principal: Principal,
  input: { orderIds?: number[]; limit?: number },
): Promise<BatchAllocation> {
  requireAction(principal, 'transfers.allocate');
  for (let attempt = 1; ; attempt++) {
    try {
      return await inTransaction(ctx, async (uow) => {
        const orders = input.orderIds
          ? await ordersInScope(ctx, uow, principal, input.orderIds)
          : await listOrderRows(uow.trx, {
              region: regionFilter(ctx, principal),
              status: 'waiting',
              order: 'oldest',
              limit: input.limit ?? 500,
            });
        return allocateOrders(uow, orders, actorOf(principal));
      });
    } catch (error) {
      if (attempt >= 3 || !isRetryable(error)) throw error;
    }
  }
}

/** One vehicle for all the orders named, or a fleet (`vehicles`) with each vehicle's orders. */
export interface DispatchRequest {
  transportOrgId: number;
  vehicle?: string;
  vehicles?: VehicleLoad[];
}

export async function dispatchFor(
  ctx: AppContext,
  principal: Principal,
  ids: number[],
  request: DispatchRequest,
): Promise<OrderRow[]> {
  requireAction(principal, 'transfers.dispatch');
  if ((request.vehicle === undefined) === (request.vehicles === undefined)) {
    throw invalid('vehicle', 'name one vehicle, or the vehicles of a fleet');
  }
  const vehicles = request.vehicles ?? [{ vehicle: request.vehicle!, orderIds: ids }];
  return inTransaction(ctx, async (uow) =>
    dispatchOrders(
      uow,
      await ordersInScope(ctx, uow, principal, ids),
      { transportOrgId: request.transportOrgId, vehicles },
      actorOf(principal),
    ),
  );
}

export async function pickUpFor(ctx: AppContext, principal: Principal, ids: number[]): Promise<OrderRow[]> {
  requireAction(principal, 'transfers.move');
  return inTransaction(ctx, async (uow) =>
    pickUpOrders(uow, await ordersInScope(ctx, uow, principal, ids), actorOf(principal)),
  );
}

export async function arriveFor(ctx: AppContext, principal: Principal, ids: number[]): Promise<OrderRow[]> {
  requireAction(principal, 'transfers.move');
  return inTransaction(ctx, async (uow) =>
    arriveOrders(uow, await ordersInScope(ctx, uow, principal, ids), actorOf(principal)),
  );
}

export async function cancelFor(
  ctx: AppContext,
  principal: Principal,
  id: number,
  reason: string,
): Promise<{ cancelled: OrderRow; replacement: OrderRow | null }> {
  requireAction(principal, 'transfers.allocate');
  return inTransaction(ctx, async (uow) => {
    const [order] = await ordersInScope(ctx, uow, principal, [id], 'id');
    const replacement = await cancelOrder(uow, order, reason, actorOf(principal));
    const [cancelled] = await findOrders(uow.trx, [id]);
    if (!cancelled) throw new DomainError('not_found', `transfer order ${id} not found`);
    return { cancelled, replacement };
  });
}
