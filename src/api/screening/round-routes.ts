import type { AppContext } from '../../app/context.ts';
import { closeRound, createRound, getRound, listRounds } from '../../app/screening/rounds.ts';
import { roundStatus } from '../../domain/screening/round.ts';
import { requirePrincipal, type CordonApp } from '../server.ts';
import { presentRound } from './presenter.ts';
import { createRoundBody, idParams, roundListResponse, roundSchema } from './schema.ts';

export async function roundRoutes(api: CordonApp, ctx: AppContext): Promise<void> {
  api.post(
    '/screening/rounds',
    {
      schema: {
        tags: ['screening'],
        summary:
          'Plan a screening round: scope (regions, places), window, kind; pooling from the active rule set',
        body: createRoundBody,
        response: { 201: roundSchema },
      },
    },
    async (request, reply) => {
      const round = await createRound(ctx, requirePrincipal(request), request.body);
      void reply.status(201);
      return presentRound({ ...round, status: roundStatus(round, ctx.clock.now()) });
    },
  );

  api.get(
    '/screening/rounds',
    {
      schema: {
        tags: ['screening'],
        summary: 'Rounds that concern your area',
        response: { 200: roundListResponse },
      },
    },
    async (request) => ({
      items: (await listRounds(ctx, requirePrincipal(request))).map((r) => presentRound(r as never)),
    }),
  );

  api.get(
    '/screening/rounds/:id',
    {
      schema: { tags: ['screening'], summary: 'One round', params: idParams, response: { 200: roundSchema } },
    },
    async (request) => {
      requirePrincipal(request);
      const round = await getRound(ctx, request.params.id);
      return presentRound({ ...round, status: roundStatus(round, ctx.clock.now()) });
    },
  );

  api.post(
    '/screening/rounds/:id/close',
    {
      schema: {
        tags: ['screening'],
        summary: 'Close a round early (no more scans)',
        params: idParams,
        response: { 200: roundSchema },
      },
    },
    async (request) => {
      const round = await closeRound(ctx, requirePrincipal(request), request.params.id);
      return presentRound({ ...round, status: roundStatus(round, ctx.clock.now()) });
    },
  );
}
