import type { AppContext } from '../../app/context.ts';
import { addContactsAs } from '../../app/tracing/contact-work.ts';
import {
  addTimeline,
  changeInvestigation,
  completeInvestigation,
  investigationDetail,
  listInvestigationsFor,
} from '../../app/tracing/investigations.ts';
import { requestAuditor } from '../request-audit.ts';
import { requirePrincipal, type CordonApp } from '../server.ts';
import { page, presentContact, presentInvestigation, presentTimeline } from './presenter.ts';
import {
  addContactsBody,
  completeBody,
  contactsResponse,
  idParams,
  investigationDetailSchema,
  investigationListQuery,
  investigationListResponse,
  investigationPatchBody,
  investigationSchema,
  timelineBody,
  timelineEntrySchema,
} from './schema.ts';

/**
 * Investigations, their timelines and the contacts a tracer names. Each route: authenticate → validate (schema) → service (which
 * authorises by role and filters by region scope in the query) → audit (tracing records are
 * health data about people, even as ids) → present.
 */
export async function investigationRoutes(api: CordonApp, ctx: AppContext): Promise<void> {
  const tags = ['tracing'];
  const record = requestAuditor(ctx);

  api.get(
    '/tracing/investigations',
    {
      schema: {
        tags,
        summary: 'Investigations (流调) in your area, newest first',
        querystring: investigationListQuery,
        response: { 200: investigationListResponse },
      },
    },
    async (request) => {
      const q = request.query;
      const rows = await listInvestigationsFor(ctx, requirePrincipal(request), {
        status: q.status,
        sourceStatus: q.sourceStatus,
        overdueAt: q.overdue === 'true' ? ctx.clock.now() : undefined,
        beforeId: q.cursor,
        limit: q.limit + 1,
      });
      await record(
        request,
        'tracing.investigations.list',
        'person',
        rows.slice(0, q.limit).map((r) => r.person_id),
        { ...q },
      );
      return page(rows, q.limit, (r) => presentInvestigation(r, ctx.clock.now()));
    },
  );

  api.get(
    '/tracing/unknown-source',
    {
      schema: {
        tags,
        summary: 'Cases with no known source (来源不明), newest first: the ones to chase',
        querystring: investigationListQuery.omit({ sourceStatus: true }),
        response: { 200: investigationListResponse },
      },
    },
    async (request) => {
      const q = request.query;
      const rows = await listInvestigationsFor(ctx, requirePrincipal(request), {
        sourceStatus: 'unknown',
        status: q.status,
        beforeId: q.cursor,
        limit: q.limit + 1,
      });
      await record(
        request,
        'tracing.investigations.list',
        'person',
        rows.slice(0, q.limit).map((r) => r.person_id),
        { sourceStatus: 'unknown' },
      );
      return page(rows, q.limit, (r) => presentInvestigation(r, ctx.clock.now()));
    },
  );

  api.get(
    '/tracing/investigations/:id',
    {
      schema: {
        tags,
        summary: 'One investigation with its timeline and contact counts',
        params: idParams,
        response: { 200: investigationDetailSchema },
      },
    },
    async (request) => {
      const { inv, timeline, contacts } = await investigationDetail(
        ctx,
        requirePrincipal(request),
        request.params.id,
      );
      await record(request, 'tracing.investigation.read', 'person', [inv.person_id]);
      return {
        ...presentInvestigation(inv, ctx.clock.now()),
        timeline: timeline.map(presentTimeline),
        contacts: contacts.map((c) => ({ degree: c.degree, status: c.status, count: c.n })),
      };
    },
  );

  api.patch(
    '/tracing/investigations/:id',
    {
      schema: {
        tags,
        summary: 'Assign the tracer, set the onset (moves the exposure window), write notes',
        params: idParams,
        body: investigationPatchBody,
        response: { 200: investigationSchema },
      },
    },
    async (request) => {
      const inv = await changeInvestigation(ctx, requirePrincipal(request), request.params.id, request.body);
      await record(request, 'tracing.investigation.change', 'person', [inv.person_id], {
        changed: Object.keys(request.body),
      });
      return presentInvestigation(inv, ctx.clock.now());
    },
  );

  api.post(
    '/tracing/investigations/:id/timeline',
    {
      schema: {
        tags,
        summary: 'Add places and times to the case timeline (行程轨迹)',
        params: idParams,
        body: timelineBody,
        response: { 200: timelineEntrySchema.array() },
      },
    },
    async (request) => {
      const rows = await addTimeline(ctx, requirePrincipal(request), request.params.id, request.body.entries);
      await record(request, 'tracing.timeline.add', 'investigation', [request.params.id]);
      return rows.map(presentTimeline);
    },
  );

  api.post(
    '/tracing/investigations/:id/contacts',
    {
      schema: {
        tags,
        summary: 'Name contacts found in the interview: confirmed and put under their plan at once',
        params: idParams,
        body: addContactsBody,
        response: { 200: contactsResponse },
      },
    },
    async (request) => {
      const contacts = request.body.contacts.map((c) => ({
        personId: c.personId,
        degree: c.degree,
        kind: c.exposure.kind,
        placeId: c.exposure.placeId,
        at: c.exposure.at,
        note: c.exposure.note,
        viaContactId: c.viaContactId,
      }));
      const rows = await addContactsAs(ctx, requirePrincipal(request), request.params.id, contacts);
      await record(
        request,
        'tracing.contacts.add',
        'person',
        rows.map((r) => r.person_id),
      );
      return { items: rows.map(presentContact) };
    },
  );

  api.post(
    '/tracing/investigations/:id/complete',
    {
      schema: {
        tags,
        summary: 'Close the interview',
        params: idParams,
        body: completeBody,
        response: { 200: investigationSchema },
      },
    },
    async (request) => {
      const inv = await completeInvestigation(
        ctx,
        requirePrincipal(request),
        request.params.id,
        request.body?.summary ?? null,
      );
      await record(request, 'tracing.investigation.complete', 'person', [inv.person_id]);
      return presentInvestigation(inv, ctx.clock.now());
    },
  );
}
