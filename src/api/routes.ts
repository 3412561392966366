import type { AppContext } from '../app/context.ts';
import type { CordonApp } from './server.ts';
import { accessRoutes } from './access/routes.ts';
import { eventRoutes } from './events/routes.ts';
import { healthRoutes } from './health/routes.ts';
import { alertRoutes } from './kernel/alert-routes.ts';
import { controlEpisodeRoutes } from './kernel/control-episode-routes.ts';
import { ruleSetRoutes } from './kernel/rule-set-routes.ts';
import { clockRoutes } from './admin/clock-routes.ts';
import { drainRoutes } from './admin/drain-routes.ts';
import { overviewRoutes } from './overview/routes.ts';
import { peopleRoutes } from './people/routes.ts';
import { registryRoutes } from './registry/routes.ts';
import { tracingRoutes } from './tracing/routes.ts';
import { caseRoutes } from './cases/routes.ts';
import { facilityRoutes } from './facilities/routes.ts';
import { transferRoutes } from './transfers/routes.ts';
import { screeningRoutes } from './screening/routes.ts';
import { statusRoutes } from './status/routes.ts';
import { zoneRoutes } from './zones/routes.ts';
import { complianceRoutes } from './compliance/routes.ts';
import { bulletinRoutes } from './bulletin/routes.ts';
import { workListRoutes } from './command/work-routes.ts';

/** Every capability's routes, mounted under /api/v1. */
export async function registerRoutes(api: CordonApp, ctx: AppContext): Promise<void> {
  await healthRoutes(api, ctx);
  await ruleSetRoutes(api, ctx);
  await alertRoutes(api, ctx);
  await controlEpisodeRoutes(api, ctx);
  await clockRoutes(api, ctx);
  await drainRoutes(api, ctx);
  await accessRoutes(api, ctx);
  await peopleRoutes(api, ctx);
  await registryRoutes(api, ctx);
  await screeningRoutes(api, ctx);
  await eventRoutes(api, ctx);
  await tracingRoutes(api, ctx);
  await caseRoutes(api, ctx);
  await transferRoutes(api, ctx);
  await facilityRoutes(api, ctx);
  await overviewRoutes(api, ctx);
  await statusRoutes(api, ctx);
  await zoneRoutes(api, ctx);
  await complianceRoutes(api, ctx);
  await bulletinRoutes(api, ctx);
  await workListRoutes(api, ctx);
}
