import type { AppContext } from '../app/context.ts';
import type { CordonApp } from './server.ts';
import { healthRoutes } from './health/routes.ts';

/** Every capability's routes, mounted under /api/v1. */
export async function registerRoutes(api: CordonApp, ctx: AppContext): Promise<void> {
  await healthRoutes(api, ctx);
}
