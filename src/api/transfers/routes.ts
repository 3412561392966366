import type { FastifyRequest } from 'fastify';
import { actorOf, audit } from '../../app/access/audit.ts';
import type { AppContext } from '../../app/context.ts';
import {
  allocateFor,
  allocateManyFor,
  arriveFor,
  cancelFor,
  dispatchFor,
  listOrdersFor,
  orderDetailFor,
  pickUpFor,
} from '../../app/cases/transfer-commands.ts';
import type { OrderRow } from '../../store/cases/orders.ts';
import { page, presentTransition } from '../cases/presenter.ts';
import { idParams } from '../cases/schema.ts';
import { requirePrincipal, type CordonApp } from '../server.ts';
import { presentOrder } from './presenter.ts';
import {
  allocateBody,
  allocateManyBody,
  allocateManyResponse,
  cancelBody,
  cancelResponse,
  dispatchBody,
  movementBody,
  orderDetailResponse,
  orderListQuery,
  orderListResponse,
  orderSchema,
  ordersResponse,
} from './schema.ts';

/**
 * Transfer orders (转运): the queue, the allocator's proposals, confirmation or override, dispatch,
 * pick-up and arrival. Region users act in their area, transfer teams on their own orders.
 */
export async function transferRoutes(api: CordonApp, ctx: AppContext): Promise<void> {
  const tags = ['transfers'];
  const record = (
    request: FastifyRequest,
    action: string,
    orders: readonly OrderRow[],
    details?: Record<string, unknown>,
  ) =>
    audit(ctx, {
      actor: actorOf(requirePrincipal(request)),
      action,
      subjectType: 'person',
      subjectIds: orders.map((o) => o.person_id),
      fields: [],
      requestId: request.id,
      details,
    });

  api.get(
    '/transfers',
    {
      schema: {
        tags,
        summary: 'Transfer orders you may see (your area, your team, your facility)',
        querystring: orderListQuery,
        response: { 200: orderListResponse },
      },
    },
    async (request) => {
      const q = request.query;
      const rows = await listOrdersFor(ctx, requirePrincipal(request), {
        status: q.status,
        need: q.need,
        unplaced: q.unplaced === undefined ? undefined : q.unplaced === 'true',
        order: q.order,
        cursor: q.cursor,
        limit: q.limit + 1,
      });
      await record(request, 'transfers.list', rows.slice(0, q.limit), { ...q });
      return page(rows, q.limit, presentOrder);
    },
  );

  api.post(
    '/transfers/allocate',
    {
      schema: {
        tags,
        summary: "Confirm the allocator's proposals for many waiting orders",
        body: allocateManyBody,
        response: { 200: allocateManyResponse },
      },
    },
    async (request) => {
      const result = await allocateManyFor(ctx, requirePrincipal(request), request.body);
      await record(request, 'transfers.allocate', [...result.allocated, ...result.unplaced], {
        allocated: result.allocated.length,
        unplaced: result.unplaced.length,
      });
      return { allocated: result.allocated.map(presentOrder), unplaced: result.unplaced.map(presentOrder) };
    },
  );

  api.post(
    '/transfers/dispatch',
    {
      schema: {
        tags,
        summary: 'Send a vehicle (or a fleet) for allocated orders',
        body: dispatchBody,
        response: { 200: ordersResponse },
      },
    },
    async (request) => {
      const { orderIds, transportOrgId, vehicle, vehicles } = request.body;
      const ids = orderIds ?? (vehicles ?? []).flatMap((v) => v.orderIds);
      const moved = await dispatchFor(ctx, requirePrincipal(request), ids, {
        transportOrgId,
        vehicle,
        vehicles,
      });
      await record(request, 'transfers.dispatch', moved, {
        vehicles: vehicles?.map((v) => v.vehicle) ?? [vehicle],
      });
      return { items: moved.map(presentOrder) };
    },
  );

  api.post(
    '/transfers/pickup',
    {
      schema: {
        tags,
        summary: 'The crew picked these people up',
        body: movementBody,
        response: { 200: ordersResponse },
      },
    },
    async (request) => {
      const moved = await pickUpFor(ctx, requirePrincipal(request), request.body.orderIds);
      await record(request, 'transfers.pickup', moved);
      return { items: moved.map(presentOrder) };
    },
  );

  api.post(
    '/transfers/arrive',
    {
      schema: {
        tags,
        summary: 'The vehicle arrived at the facility',
        body: movementBody,
        response: { 200: ordersResponse },
      },
    },
    async (request) => {
      const moved = await arriveFor(ctx, requirePrincipal(request), request.body.orderIds);
      await record(request, 'transfers.arrive', moved);
      return { items: moved.map(presentOrder) };
    },
  );

  api.get(
    '/transfers/:id',
    {
      schema: {
        tags,
        summary: "An order with its steps and the allocator's current proposals",
        params: idParams,
        response: { 200: orderDetailResponse },
      },
    },
    async (request) => {
      const detail = await orderDetailFor(ctx, requirePrincipal(request), request.params.id);
      await record(request, 'transfers.read', [detail.order]);
      return {
        order: presentOrder(detail.order),
        transitions: detail.transitions.map(presentTransition),
        proposals: detail.proposals,
      };
    },
  );

  api.post(
    '/transfers/:id/allocate',
    {
      schema: {
        tags,
        summary: 'Confirm the first proposal, or override with a reason; reserves the bed',
        params: idParams,
        body: allocateBody,
        response: { 200: orderSchema },
      },
    },
    async (request) => {
      const order = await allocateFor(ctx, requirePrincipal(request), request.params.id, request.body);
      await record(request, 'transfers.allocate', [order], {
        facilityId: order.facility_id,
        override: order.override_reason != null,
      });
      return presentOrder(order);
    },
  );

  api.post(
    '/transfers/:id/cancel',
    {
      schema: {
        tags,
        summary: "Cancel before admission (a case's order is replaced by a fresh one)",
        params: idParams,
        body: cancelBody,
        response: { 200: cancelResponse },
      },
    },
    async (request) => {
      const result = await cancelFor(ctx, requirePrincipal(request), request.params.id, request.body.reason);
      await record(request, 'transfers.cancel', [result.cancelled]);
      return {
        cancelled: presentOrder(result.cancelled),
        replacement: result.replacement ? presentOrder(result.replacement) : null,
      };
    },
  );
}
