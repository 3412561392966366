import type { AppContext } from '../../app/context.ts';
import { roundCoverage, untestedHouseholds } from '../../app/screening/coverage.ts';
import { poolingPlan } from '../../app/screening/planner.ts';
import { stageTiming } from '../../app/screening/stages.ts';
import { requirePrincipal, type CordonApp } from '../server.ts';
import {
  coverageQuery,
  coverageResponse,
  idParams,
  plannerQuery,
  plannerResponse,
  stagesQuery,
  stagesResponse,
  untestedQuery,
  untestedResponse,
} from './schema.ts';

/** What command and streets read: 应检 / 未检 coverage, untested households, stage timing, the pooling planner. */
export async function reportRoutes(api: CordonApp, ctx: AppContext): Promise<void> {
  const tags = ['screening'];
  api.get(
    '/screening/rounds/:id/coverage',
    {
      schema: {
        tags,
        summary: '应检 / 已检 / 未检 for a round in your area, by child region (down to buildings)',
        params: idParams,
        querystring: coverageQuery,
        response: { 200: coverageResponse },
      },
    },
    async (request) =>
      roundCoverage(ctx, requirePrincipal(request), request.params.id, request.query.regionId),
  );
  api.get(
    '/screening/rounds/:id/untested',
    {
      schema: {
        tags,
        summary: 'Households with people not yet tested in a round (不漏一户、不落一人), paged',
        params: idParams,
        querystring: untestedQuery,
        response: { 200: untestedResponse },
      },
    },
    async (request) =>
      untestedHouseholds(ctx, requirePrincipal(request), request.params.id, {
        ...request.query,
        requestId: request.id,
      }),
  );
  api.get(
    '/screening/stages',
    {
      schema: {
        tags,
        summary: 'Backlog and p50/p90 of each stage 采→送→检→报, per district, street, site or lab',
        querystring: stagesQuery,
        response: { 200: stagesResponse },
      },
    },
    async (request) => stageTiming(ctx, requirePrincipal(request), request.query),
  );
  api.get(
    '/screening/pooling-plan',
    {
      schema: {
        tags,
        summary: "Dorfman's pooling planner: best pool size, unconstrained and among the rule set's sizes",
        querystring: plannerQuery,
        response: { 200: plannerResponse },
      },
    },
    async (request) => poolingPlan(ctx, requirePrincipal(request), request.query),
  );
}
