import type { AppContext } from '../../app/context.ts';
import { requirePrincipal, type CordonApp } from '../server.ts';
import { buildOverview } from './build.ts';
import { overviewQuerySchema, overviewSchema } from './contract.ts';

/**
 * GET /api/v1/overview?regionId= — the command picture's data for one region and its children,
 * scoped: a region outside the caller's subtree is 404 out_of_scope, and only region-scoped
 * users have an overview. Sections whose capability has not landed are absent, never zero.
 */
export async function overviewRoutes(api: CordonApp, ctx: AppContext): Promise<void> {
  api.get(
    '/overview',
    {
      schema: {
        tags: ['command'],
        summary: 'The command picture for a region: per-child measures and one section per capability',
        querystring: overviewQuerySchema,
        response: { 200: overviewSchema },
      },
    },
    async (request) => buildOverview(ctx, requirePrincipal(request), request.query.regionId),
  );
}
