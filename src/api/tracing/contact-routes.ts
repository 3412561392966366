import type { AppContext } from '../../app/context.ts';
import {
  confirmContactAs,
  dismissContactAs,
  getContact,
  listContactsFor,
} from '../../app/tracing/contact-work.ts';
import { requestAuditor } from '../request-audit.ts';
import { requirePrincipal, type CordonApp } from '../server.ts';
import { page, presentContact } from './presenter.ts';
import {
  confirmBody,
  contactListQuery,
  contactListResponse,
  contactSchema,
  dismissBody,
  idParams,
} from './schema.ts';

/** The contact list and a tracer's decisions on contacts; same pipeline as investigation-routes.ts. */
export async function contactRoutes(api: CordonApp, ctx: AppContext): Promise<void> {
  const tags = ['tracing'];
  const record = requestAuditor(ctx);

  api.get(
    '/tracing/contacts',
    {
      schema: {
        tags,
        summary: 'Contacts living in your area or exposed to a case of your area',
        querystring: contactListQuery,
        response: { 200: contactListResponse },
      },
    },
    async (request) => {
      const q = request.query;
      const rows = await listContactsFor(ctx, requirePrincipal(request), {
        caseId: q.caseId,
        status: q.status,
        degree: q.degree,
        districtId: q.districtId,
        beforeId: q.cursor,
        limit: q.limit + 1,
      });
      await record(
        request,
        'tracing.contacts.list',
        'person',
        rows.slice(0, q.limit).map((r) => r.person_id),
        { ...q },
      );
      return page(rows, q.limit, presentContact);
    },
  );

  api.get(
    '/tracing/contacts/:id',
    { schema: { tags, summary: 'One contact', params: idParams, response: { 200: contactSchema } } },
    async (request) => {
      const row = await getContact(ctx, requirePrincipal(request), request.params.id);
      await record(request, 'tracing.contact.read', 'person', [row.person_id]);
      return presentContact(row);
    },
  );

  api.post(
    '/tracing/contacts/:id/confirm',
    {
      schema: {
        tags,
        summary: 'Confirm a proposed contact (optionally at another degree); starts the quarantine plan',
        params: idParams,
        body: confirmBody,
        response: { 200: contactSchema },
      },
    },
    async (request) => {
      const row = await confirmContactAs(
        ctx,
        requirePrincipal(request),
        request.params.id,
        request.body?.degree,
      );
      await record(request, 'tracing.contact.confirm', 'person', [row.person_id]);
      return presentContact(row);
    },
  );

  api.post(
    '/tracing/contacts/:id/dismiss',
    {
      schema: {
        tags,
        summary: 'Rule a contact out, with the reason; a running plan ends',
        params: idParams,
        body: dismissBody,
        response: { 200: contactSchema },
      },
    },
    async (request) => {
      const row = await dismissContactAs(
        ctx,
        requirePrincipal(request),
        request.params.id,
        request.body.reason,
      );
      await record(request, 'tracing.contact.dismiss', 'person', [row.person_id]);
      return presentContact(row);
    },
  );
}
