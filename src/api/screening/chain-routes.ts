import type { AppContext } from '../../app/context.ts';
import { resultsOfPerson } from '../../app/screening/member-results.ts';
import { parseResultsCsv } from '../../app/screening/result-files.ts';
import { postResults } from '../../app/screening/results.ts';
import { closeTube, getTube } from '../../app/screening/tubes.ts';
import { dispatchBox, getBox, receiveBox, sealBox } from '../../app/screening/transport.ts';
import { requirePrincipal, type CordonApp } from '../server.ts';
import { presentBox, presentCustody, presentTube } from './presenter.ts';
import {
  barcodeParams,
  boxDetailSchema,
  boxSchema,
  dispatchBoxBody,
  personParams,
  personResultsResponse,
  postResultsBody,
  postResultsResponse,
  receiveBoxBody,
  sealBoxBody,
  tubeSchema,
} from './schema.ts';

/** The chain after the scan (送 → 检 → 报): tubes, boxes with custody, lab results, people's results. */
export async function chainRoutes(api: CordonApp, ctx: AppContext): Promise<void> {
  const tags = ['screening'];
  api.get(
    '/screening/tubes/:barcode',
    {
      schema: {
        tags,
        summary: 'A tube: state, stage times, result (no member is named)',
        params: barcodeParams,
        response: { 200: tubeSchema },
      },
    },
    async (request) => presentTube(await getTube(ctx, requirePrincipal(request), request.params.barcode)),
  );
  api.post(
    '/screening/tubes/:barcode/close',
    {
      schema: {
        tags,
        summary: 'Close a tube by hand before it is full',
        params: barcodeParams,
        response: { 200: tubeSchema },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      await closeTube(ctx, principal, request.params.barcode);
      return presentTube(await getTube(ctx, principal, request.params.barcode));
    },
  );

  api.post(
    '/screening/boxes',
    {
      schema: {
        tags,
        summary: 'Seal closed tubes into a transport box',
        body: sealBoxBody,
        response: { 201: boxSchema },
      },
    },
    async (request, reply) => {
      const box = await sealBox(ctx, requirePrincipal(request), request.body);
      void reply.status(201);
      return presentBox(box);
    },
  );
  api.post(
    '/screening/boxes/:barcode/dispatch',
    {
      schema: {
        tags,
        summary: 'Hand a sealed box to a courier',
        params: barcodeParams,
        body: dispatchBoxBody,
        response: { 200: boxSchema },
      },
    },
    async (request) =>
      presentBox(await dispatchBox(ctx, requirePrincipal(request), request.params.barcode, request.body)),
  );
  api.post(
    '/screening/boxes/:barcode/receive',
    {
      schema: {
        tags,
        summary: 'Receive a box at the lab',
        params: barcodeParams,
        body: receiveBoxBody,
        response: { 200: boxSchema },
      },
    },
    async (request) =>
      presentBox(
        await receiveBox(ctx, requirePrincipal(request), request.params.barcode, request.body ?? {}),
      ),
  );
  api.get(
    '/screening/boxes/:barcode',
    {
      schema: {
        tags,
        summary: 'A box with its tubes and chain of custody',
        params: barcodeParams,
        response: { 200: boxDetailSchema },
      },
    },
    async (request) => {
      const { box, tubeCodes, custody } = await getBox(
        ctx,
        requirePrincipal(request),
        request.params.barcode,
      );
      return { ...presentBox(box), tubeCodes, custody: custody.map(presentCustody) };
    },
  );

  api.post(
    '/screening/results',
    {
      schema: {
        tags,
        summary: "A lab's tube results, all or nothing",
        body: postResultsBody,
        response: { 200: postResultsResponse },
      },
    },
    async (request) => {
      const lines = request.body.results.map((r, i) => ({
        line: i + 1,
        tubeCode: r.tubeCode,
        outcome: r.outcome,
        ct: { orf1ab: r.ct?.orf1ab ?? null, n: r.ct?.n ?? null },
      }));
      return postResults(ctx, requirePrincipal(request), lines, 'results');
    },
  );
  await api.register(async (csv) => {
    csv.addContentTypeParser(
      'text/csv',
      { parseAs: 'string', bodyLimit: 16 * 1024 * 1024 },
      (_request, body, done) => done(null, body),
    );
    csv.post(
      '/screening/results/csv',
      {
        schema: {
          tags,
          summary: 'Upload results as CSV (tube_code,outcome,ct_orf1ab,ct_n); errors name the line',
          consumes: ['text/csv'],
          response: { 200: postResultsResponse },
        },
      },
      async (request) =>
        postResults(ctx, requirePrincipal(request), parseResultsCsv(String(request.body ?? '')), 'file'),
    );
  });

  api.get(
    '/me/results',
    {
      schema: { tags, summary: 'My screening results (residents)', response: { 200: personResultsResponse } },
    },
    async (request) => resultsOfPerson(ctx, requirePrincipal(request), 'self', request.id),
  );
  api.get(
    '/screening/people/:personId/results',
    {
      schema: {
        tags,
        summary: "A person's screening results (region staff, audited)",
        params: personParams,
        response: { 200: personResultsResponse },
      },
    },
    async (request) => resultsOfPerson(ctx, requirePrincipal(request), request.params.personId, request.id),
  );
}
