import type { AppContext } from '../../app/context.ts';
import type { CordonApp } from '../server.ts';
import { chainRoutes } from './chain-routes.ts';
import { contactRoutes } from './contact-routes.ts';
import { investigationRoutes } from './investigation-routes.ts';

/** Contact tracing 流调溯源 (docs/TRACING.md): one registration line in api/routes.ts. */
export async function tracingRoutes(api: CordonApp, ctx: AppContext): Promise<void> {
  await investigationRoutes(api, ctx);
  await contactRoutes(api, ctx);
  await chainRoutes(api, ctx);
}
