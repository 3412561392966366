import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import type { AppContext } from '../../app/context.ts';
import { declareDuty, endDuty } from '../../app/compliance/duties.ts';
import {
  OVERDUE_CSV_COLUMNS,
  overdueCsvRows,
  overdueList,
  personCompliance,
} from '../../app/compliance/queries.ts';
import { activeDuties } from '../../store/status/duties.ts';
import { requirePrincipal, type CordonApp } from '../server.ts';
import {
  ComplianceView,
  DutyBody,
  DutyParams,
  DutyView,
  EndDutyBody,
  OverdueCsvQuery,
  OverdueQuery,
  OverdueView,
  PersonParams,
} from './schema.ts';

/** Compliance: screening duties, a person's state, and the 应检未检 work lists (JSON and CSV). */
export async function complianceRoutes(api: CordonApp, ctx: AppContext): Promise<void> {
  const tags = ['compliance'];

  api.post(
    '/compliance/duties',
    {
      schema: {
        tags,
        summary: 'Declare a screening duty for an area or a key-industry occupation',
        body: DutyBody,
        response: { 201: DutyView },
      },
    },
    async (request, reply) => {
      const { duty, orders } = await declareDuty(ctx, requirePrincipal(request), request.body);
      return reply.status(201).send({ ...duty, ordersCreated: orders });
    },
  );

  api.get(
    '/compliance/duties',
    { schema: { tags, summary: 'Screening duties running now', response: { 200: DutyView.array() } } },
    async (request) => {
      requirePrincipal(request);
      return activeDuties(ctx.store.db, ctx.clock.now());
    },
  );

  api.post(
    '/compliance/duties/:dutyId/end',
    {
      schema: {
        tags,
        summary: 'End a duty; its open test orders are cancelled',
        params: DutyParams,
        body: EndDutyBody,
      },
    },
    async (request) => ({
      cancelledOrders: await endDuty(
        ctx,
        requirePrincipal(request),
        request.params.dutyId,
        request.body.reason,
      ),
    }),
  );

  api.get(
    '/compliance/people/:personId',
    {
      schema: {
        tags,
        summary: "A person's screening duties: current, due or overdue",
        params: PersonParams,
        response: { 200: ComplianceView },
      },
    },
    async (request) => personCompliance(ctx, requirePrincipal(request), request.params.personId),
  );

  api.get(
    '/compliance/overdue',
    {
      schema: {
        tags,
        summary: '应检未检: overdue people by household, building or employer (audited)',
        querystring: OverdueQuery,
        response: { 200: OverdueView },
      },
    },
    async (request) => {
      const q = request.query;
      return overdueList(ctx, requirePrincipal(request), {
        groupBy: q.groupBy,
        regionId: q.regionId,
        afterPersonId: q.cursor,
        limit: q.limit,
        requestId: request.id,
      });
    },
  );

  api.get(
    '/compliance/overdue.csv',
    {
      schema: {
        tags,
        summary: 'The whole overdue list as CSV, streamed (audited)',
        querystring: OverdueCsvQuery,
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const rows = overdueCsvRows(ctx, requirePrincipal(request), {
        ...request.query,
        requestId: request.id,
      });
      // Pull the first chunk before answering: a scope error becomes a proper error response.
      const first = await rows.next();
      async function* text(): AsyncGenerator<string> {
        yield `\uFEFF${stringify([[...OVERDUE_CSV_COLUMNS]])}`;
        if (!first.done) yield stringify(first.value);
        for await (const chunk of rows) yield stringify(chunk);
      }
      void reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="overdue-by-${request.query.groupBy}.csv"`)
        .header('cache-control', 'no-store');
      return reply.send(Readable.from(text()));
    },
  );
}
