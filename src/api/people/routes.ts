import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AccessRequest } from '../../app/access/people-access.ts';
import {
  exportPeople,
  listPeople,
  readOwnPerson,
  readPerson,
  revealPerson,
} from '../../app/access/people-access.ts';
import { issuePersonCode, PERSON_CODE_TTL_MS } from '../../app/access/person-code.ts';
import type { PersonRow, PeopleFilters } from '../../app/access/scoped-people.ts';
import { decodePeopleCursor, encodePeopleCursor } from '../../app/access/scoped-people.ts';
import type { AppContext } from '../../app/context.ts';
import { actorOf, audit } from '../../app/access/audit.ts';
import { DomainError } from '../../domain/errors.ts';
import { requirePrincipal, type CordonApp } from '../server.ts';
import { CSV_COLUMNS, csvRecord, presentPerson, presentReveal } from './presenter.ts';
import {
  PeopleFilterQuery,
  PeopleListQuery,
  PeoplePage,
  PersonCodeResponse,
  PersonParams,
  PersonView,
  RevealBody,
  RevealResponse,
} from './schema.ts';

/**
 * The people API. Each route: authenticate → validate → scoped query (data layer) → audit →
 * present. Masked by default; only a reveal or a resident's own record is in clear.
 */
function accessOf(request: FastifyRequest): AccessRequest {
  return { principal: requirePrincipal(request), requestId: request.id };
}

function filtersOf(query: z.infer<typeof PeopleFilterQuery>): PeopleFilters {
  return {
    streetId: query.street,
    committeeId: query.committee,
    householdId: query.household,
    occupation: query.occupation,
    vulnerable: query.vulnerable,
    q: query.q,
  };
}

/** CSV text chunk by chunk; a BOM first so spreadsheet programs read the Chinese correctly. */
async function* csvText(chunks: AsyncIterable<PersonRow[]>): AsyncGenerator<string> {
  yield `\uFEFF${stringify([[...CSV_COLUMNS]])}`;
  for await (const rows of chunks) yield stringify(rows.map(csvRecord));
}

export async function peopleRoutes(api: CordonApp, ctx: AppContext): Promise<void> {
  const codeTtlMs = ctx.config.personCodeTtlMs ?? PERSON_CODE_TTL_MS;
  const tags = ['people'];

  api.get(
    '/people',
    {
      schema: {
        tags,
        summary: 'People in your area, masked, cursor-paginated',
        querystring: PeopleListQuery,
        response: { 200: PeoplePage },
      },
    },
    async (request) => {
      const after = request.query.cursor ? decodePeopleCursor(request.query.cursor) : null;
      const page = await listPeople(ctx, accessOf(request), filtersOf(request.query), {
        limit: request.query.limit,
        after,
      });
      return {
        items: page.rows.map((r) => presentPerson(r)),
        nextCursor: page.next ? encodePeopleCursor(page.next) : null,
      };
    },
  );

  api.get(
    '/people/export.csv',
    {
      schema: {
        tags,
        summary: 'The same list as CSV, streamed (any size), masked',
        querystring: PeopleFilterQuery,
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const chunks = await exportPeople(ctx, accessOf(request), filtersOf(request.query));
      void reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="people.csv"')
        .header('cache-control', 'no-store');
      return reply.send(Readable.from(csvText(chunks)));
    },
  );

  api.get(
    '/people/:id',
    {
      schema: {
        tags,
        summary: 'One person in your area, masked',
        params: PersonParams,
        response: { 200: PersonView },
      },
    },
    async (request) => presentPerson(await readPerson(ctx, accessOf(request), request.params.id)),
  );

  api.post(
    '/people/:id/reveal',
    {
      schema: {
        tags,
        summary: 'Show name, phone or address in clear, with a reason (audited)',
        params: PersonParams,
        body: RevealBody,
        response: { 200: RevealResponse },
      },
    },
    async (request) => {
      const revealed = await revealPerson(ctx, accessOf(request), request.params.id, request.body);
      return presentReveal(revealed.row, revealed.fields, revealed.reason);
    },
  );

  api.get(
    '/me/person',
    { schema: { tags: ['me'], summary: "A resident's own record, in clear", response: { 200: PersonView } } },
    async (request) => presentPerson(await readOwnPerson(ctx, accessOf(request)), 'clear'),
  );

  api.get(
    '/me/code',
    {
      schema: {
        tags: ['me'],
        summary: "A resident's person code (QR), signed and expiring",
        response: { 200: PersonCodeResponse },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const scope = principal.scope;
      if (scope.kind !== 'self') throw new DomainError('forbidden', 'only a resident has a person code');
      const issued = await issuePersonCode(ctx, scope.personId, {
        districtId: scope.districtId,
        ttlMs: codeTtlMs,
      });
      await audit(ctx, {
        actor: actorOf(principal),
        action: 'person.code',
        subjectType: 'person',
        subjectIds: [scope.personId],
        fields: [],
        requestId: request.id,
      });
      return issued;
    },
  );
}
