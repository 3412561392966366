import { actorOf, audit } from '../../app/access/audit.ts';
import type { AppContext } from '../../app/context.ts';
import { tracingScope } from '../../app/tracing/access.ts';
import { chainOf, clustersFor, linkSourceAs } from '../../app/tracing/chains.ts';
import { ingestCheckins, ingestCheckinsCsv } from '../../app/tracing/checkins.ts';
import { matchCoPresence, matchCoPresenceForDay } from '../../app/tracing/matching.ts';
import { invalid } from '../../domain/errors.ts';
import { requirePrincipal, type CordonApp } from '../server.ts';
import { presentChain, presentCluster, presentSourceLink } from './presenter.ts';
import {
  caseParams,
  chainQuery,
  chainResponse,
  checkinBatchBody,
  clusterQuery,
  clusterResponse,
  ingestResponse,
  matchBody,
  matchResponse,
  sourceLinkBody,
  sourceLinkResponse,
} from './schema.ts';

/** Check-ins in bulk, co-presence matching runs, source links, chains and clusters. */
export async function chainRoutes(api: CordonApp, ctx: AppContext): Promise<void> {
  const tags = ['tracing'];

  // Encapsulated so the CSV body parser applies to this route only.
  await api.register(async (scoped) => {
    scoped.addContentTypeParser(
      ['text/csv', 'text/plain'],
      { parseAs: 'string', bodyLimit: 64 * 1024 * 1024 },
      (_request, body, done) => done(null, body),
    );
    (scoped as CordonApp).post(
      '/checkins/batch',
      {
        schema: {
          tags,
          summary:
            'Venue check-ins (场所码) in bulk: JSON {checkins:[{venueId, personId, at}]} or CSV venue_id,person_id,at; all or nothing',
          body: checkinBatchBody,
          response: { 200: ingestResponse },
        },
      },
      async (request) => {
        const principal = requirePrincipal(request);
        const scope = tracingScope(ctx, principal, 'ingest');
        const body = request.body;
        const result =
          typeof body === 'string'
            ? await ingestCheckinsCsv(ctx, body, scope)
            : await ingestCheckins(ctx, body.checkins, { field: 'body.checkins', scope });
        await audit(ctx, {
          actor: actorOf(principal),
          action: 'tracing.checkins.ingest',
          subjectType: 'checkins',
          subjectIds: [],
          fields: [],
          requestId: request.id,
          details: { ...result },
        });
        return result;
      },
    );
  });

  api.post(
    '/tracing/match',
    {
      schema: {
        tags,
        summary:
          'Co-presence (时空伴随): propose contacts from check-ins for the cases reported on a day or in [from, until)',
        body: matchBody,
        response: { 200: matchResponse },
      },
    },
    async (request) => {
      tracingScope(ctx, requirePrincipal(request), 'ingest');
      const body = request.body;
      if ('day' in body) return matchCoPresenceForDay(ctx, body.day);
      if (body.until <= body.from) throw invalid('body.until', 'must be after from', body.until);
      return matchCoPresence(ctx, body.from, body.until);
    },
  );

  api.get(
    '/tracing/chains/:caseId',
    {
      schema: {
        tags,
        summary: 'The chain of transmission through a case, as a graph {nodes, edges} for the dashboard',
        params: caseParams,
        querystring: chainQuery,
        response: { 200: chainResponse },
      },
    },
    async (request, reply) => {
      const body = presentChain(
        await chainOf(ctx, requirePrincipal(request), request.params.caseId, request.query.maxNodes),
      );
      // The hot dashboard read: the presenter is typed by the schema at compile time, so skip
      // re-validating thousands of nodes at run time (the schema still documents the route).
      return reply.type('application/json').serializer(JSON.stringify).send(body);
    },
  );

  api.get(
    '/tracing/clusters',
    {
      schema: {
        tags,
        summary: 'Clusters (聚集性疫情) touching your area, largest first',
        querystring: clusterQuery,
        response: { 200: clusterResponse },
      },
    },
    async (request) => ({
      items: (await clustersFor(ctx, requirePrincipal(request), request.query)).map(presentCluster),
    }),
  );

  api.post(
    '/tracing/source-links',
    {
      schema: {
        tags,
        summary: 'Record who infected whom, with certainty; merges their clusters',
        body: sourceLinkBody,
        response: { 200: sourceLinkResponse },
      },
    },
    async (request) => presentSourceLink(await linkSourceAs(ctx, requirePrincipal(request), request.body)),
  );
}
