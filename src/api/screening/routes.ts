import type { AppContext } from '../../app/context.ts';
import type { CordonApp } from '../server.ts';
import { chainRoutes } from './chain-routes.ts';
import { reportRoutes } from './report-routes.ts';
import { roundRoutes } from './round-routes.ts';
import { scanRoutes } from './scan-routes.ts';

/** Screening (采送检报): rounds, scans, tubes and boxes, results, coverage and stage timing. */
export async function screeningRoutes(api: CordonApp, ctx: AppContext): Promise<void> {
  await roundRoutes(api, ctx);
  await scanRoutes(api, ctx);
  await chainRoutes(api, ctx);
  await reportRoutes(api, ctx);
}
