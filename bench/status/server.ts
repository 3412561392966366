/**
 * The status bench's server, in a process of its own so the load generator does not share its
 * event loop: `node --import tsx bench/status/server.ts <dataDir> <now>`. It serves the real API
 * plus one baseline route that checks the same bearer token and answers a constant, and reports
 * its port to the parent over IPC.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { closeContext, createContext } from '../../src/app/bootstrap.ts';
import { secretsFromMaster } from '../../src/app/secrets.ts';
import { statusInputsCache } from '../../src/app/status/status.ts';
import { buildServer, requirePrincipal } from '../../src/api/server.ts';
import { ManualClock } from '../../src/domain/time/clock.ts';

const [dataDir, nowText] = process.argv.slice(2);
const ctx = await createContext({
  config: {
    dataDir,
    databaseUrl: process.env.CORDON_DATABASE_URL || undefined,
    timeZone: 'Asia/Shanghai',
    ruleSet: 'shanghai-2022-04-11',
    host: '127.0.0.1',
    port: 0,
  },
  clock: new ManualClock(Number(nowText)),
  secrets: secretsFromMaster(process.env.CORDON_BENCH_SECRET ?? 'cordon-bench-cache'),
  storeOptions: process.env.CORDON_BENCH_PG_SCHEMA ? { pgSchema: process.env.CORDON_BENCH_PG_SCHEMA } : {},
  migrate: false,
});
// Maximum in flight well above the bench's 10 connections: the limit is not what is measured.
const app = await buildServer(ctx, { maxInFlight: 4096 });
app.get('/api/v1/bench/constant', async (request) => {
  requirePrincipal(request);
  return { ok: true };
});
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
// How long the event loop was held (a synchronous disk flush, a checkpoint, GC): what a request
// queued behind it waits. Reset at each ask, so each phase reports its own.
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();
process.on('message', (message) => {
  // The parent reads the server's CPU time around each phase: CPU per request is what the
  // look-up costs, whatever else the machine is running.
  if (message === 'stats') {
    const cache = statusInputsCache(ctx);
    process.send?.({
      cpu: process.cpuUsage(),
      hits: cache.hits,
      misses: cache.misses,
      loopDelayMaxMs: loopDelay.max / 1e6,
    });
    loopDelay.reset();
  }
  if (message === 'stop') {
    void app
      .close()
      .then(() => closeContext(ctx))
      .then(() => process.exit(0));
  }
});
