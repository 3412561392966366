import type { AppContext } from './context.ts';
import { buildServer, type CordonApp } from '../api/server.ts';
import { serveWebApp } from './web/serve.ts';
import { startRuleClock } from './kernel/rule-runner.ts';
import { refreshPlannerStatistics } from '../store/database.ts';

export interface RunningServer {
  app: CordonApp;
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts the live parts around the HTTP server: event delivery and the monitoring clock.
 * Used by `cordon serve`, `npm start` and the simulator.
 */
export async function startServer(
  ctx: AppContext,
  options: {
    host: string;
    port: number;
    logger?: boolean | 'error';
    ruleClockMs?: number;
    /** How often SQLite's planner statistics are refreshed (ms). */
    statisticsMs?: number;
  },
): Promise<RunningServer> {
  await ctx.events.start();
  const stoppers: (() => void | Promise<void>)[] = [
    startRuleClock(ctx, options.ruleClockMs ?? 5000),
    keepPlannerStatistics(ctx, options.statisticsMs),
  ];
  for (const start of liveServices) stoppers.push(start(ctx));
  const app = await buildServer(ctx, { logger: options.logger });
  await serveWebApp(app);
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    app,
    url: `http://${options.host}:${port}`,
    async stop() {
      for (const stop of stoppers) await stop();
      await app.close();
      await ctx.events.stop();
    },
  };
}

/** Background services started with the server (each returns its stop function). */
export const liveServices: ((ctx: AppContext) => () => void | Promise<void>)[] = [];

/**
 * Tables grow from nothing while the server runs (a simulated wave, a first citywide round), and
 * SQLite plans by the statistics it had: with control_episodes at 400,000 rows and none, "this
 * person's zone episodes" searched every zone episode instead of the person's few (the zone
 * residents' sync, 7 % of a simulated April). SQLite's `optimize` every minute re-analyses only
 * the tables that grew or shrank a lot since their last analysis (sampled, milliseconds).
 */
function keepPlannerStatistics(ctx: AppContext, everyMs = 60_000): () => void {
  const timer = setInterval(() => {
    refreshPlannerStatistics(ctx.store).catch((error: unknown) => {
      console.error('[store] planner statistics:', error);
    });
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
