import type { FastifyRequest } from 'fastify';
import { actorOf, audit } from '../../app/access/audit.ts';
import {
  caseDetailFor,
  changeSeverity,
  listCasesFor,
  recordCaseDeath,
  reportCase,
} from '../../app/cases/case-commands.ts';
import { clearingReport, sameDayReport } from '../../app/cases/figures.ts';
import type { AppContext } from '../../app/context.ts';
import { requirePrincipal, type CordonApp } from '../server.ts';
import { page, presentCase, presentOrderSummary, presentTransition } from './presenter.ts';
import {
  caseDetailResponse,
  caseListQuery,
  caseListResponse,
  caseReportBody,
  caseReportResponse,
  caseSchema,
  clearingQuery,
  clearingResponse,
  deathBody,
  idParams,
  sameDayQuery,
  sameDayResponse,
  severityBody,
} from './schema.ts';

/**
 * Cases (病例), 社会面清零 and 日清日结. Each route: authenticate → validate (schema) → service
 * (role by policy, area by scope, in the query) → audit (a case is health data about a person,
 * even as an id) → present.
 */
export async function caseRoutes(api: CordonApp, ctx: AppContext): Promise<void> {
  const tags = ['cases'];
  const record = (
    request: FastifyRequest,
    action: string,
    personIds: number[],
    details?: Record<string, unknown>,
  ) =>
    audit(ctx, {
      actor: actorOf(requirePrincipal(request)),
      action,
      subjectType: 'person',
      subjectIds: personIds,
      fields: [],
      requestId: request.id,
      details,
    });

  api.get(
    '/cases',
    {
      schema: {
        tags,
        summary: 'Cases in your area, newest first',
        querystring: caseListQuery,
        response: { 200: caseListResponse },
      },
    },
    async (request) => {
      const q = request.query;
      const rows = await listCasesFor(ctx, requirePrincipal(request), {
        state: q.state,
        classification: q.classification,
        sampledDay: q.sampledDay,
        reportedDay: q.reportedDay,
        personId: q.personId,
        beforeId: q.cursor,
        limit: q.limit + 1,
      });
      await record(
        request,
        'cases.list',
        rows.slice(0, q.limit).map((r) => r.person_id),
        { ...q },
      );
      return page(rows, q.limit, presentCase);
    },
  );

  api.post(
    '/cases',
    {
      schema: {
        tags,
        summary: "A clinic's report of a positive (idempotent by report number)",
        body: caseReportBody,
        response: { 200: caseReportResponse, 201: caseReportResponse },
      },
    },
    async (request, reply) => {
      const result = await reportCase(ctx, requirePrincipal(request), request.body);
      await record(request, 'cases.report', [result.caseRow.person_id], {
        caseId: result.caseRow.id,
        created: result.created,
      });
      void reply.status(result.created ? 201 : 200);
      return { case: presentCase(result.caseRow), created: result.created, orderId: result.orderId };
    },
  );

  api.get(
    '/cases/clearing',
    {
      schema: {
        tags,
        summary: '社会面清零: community-clearing status per district, by whole calendar days',
        querystring: clearingQuery,
        response: { 200: clearingResponse },
      },
    },
    async (request) =>
      clearingReport(ctx, requirePrincipal(request), {
        throughDay: request.query.throughDay,
        lookbackDays: request.query.lookbackDays,
      }),
  );

  api.get(
    '/cases/same-day',
    {
      schema: {
        tags,
        summary: '日清日结: found, transferred, admitted, waiting and the same-day share for a day',
        querystring: sameDayQuery,
        response: { 200: sameDayResponse },
      },
    },
    async (request) => sameDayReport(ctx, requirePrincipal(request), request.query.day),
  );

  api.get(
    '/cases/:id',
    {
      schema: {
        tags,
        summary: 'A case with its history of states and its transfer orders',
        params: idParams,
        response: { 200: caseDetailResponse },
      },
    },
    async (request) => {
      const detail = await caseDetailFor(ctx, requirePrincipal(request), request.params.id);
      await record(request, 'cases.read', [detail.row.person_id], { caseId: detail.row.id });
      return {
        case: presentCase(detail.row),
        transitions: detail.transitions.map(presentTransition),
        orders: detail.orders.map(presentOrderSummary),
      };
    },
  );

  api.post(
    '/cases/:id/severity',
    {
      schema: {
        tags,
        summary: 'Record a clinical assessment; the transfer need follows',
        params: idParams,
        body: severityBody,
        response: { 200: caseSchema },
      },
    },
    async (request) => {
      const row = await changeSeverity(
        ctx,
        requirePrincipal(request),
        request.params.id,
        request.body.severity,
        request.body.reason,
      );
      await record(request, 'cases.severity', [row.person_id], { caseId: row.id, severity: row.severity });
      return presentCase(row);
    },
  );

  api.post(
    '/cases/:id/death',
    {
      schema: {
        tags,
        summary: 'Record a death: ends the stay or cancels the transfer',
        params: idParams,
        body: deathBody,
      },
    },
    async (request, reply) => {
      const row = await recordCaseDeath(
        ctx,
        requirePrincipal(request),
        request.params.id,
        request.body.reason,
      );
      await record(request, 'cases.death', [row.person_id], { caseId: row.id });
      return reply.status(204).send();
    },
  );
}
