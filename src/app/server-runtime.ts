import type { AppContext } from './context.ts';
import { buildServer, type CordonApp } from '../api/server.ts';
import { serveWebApp } from './web/serve.ts';
import { startRuleClock } from './kernel/rule-runner.ts';

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
  options: { host: string; port: number; logger?: boolean | 'error'; ruleClockMs?: number },
): Promise<RunningServer> {
  await ctx.events.start();
  const stoppers: (() => void | Promise<void>)[] = [startRuleClock(ctx, options.ruleClockMs ?? 5000)];
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
