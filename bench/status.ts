import { closeContext } from '../src/app/bootstrap.ts';
import { ManualClock } from '../src/domain/time/clock.ts';
import { benchArgs } from './lib/args.ts';
import { openBenchCity } from './lib/city.ts';
import { printResult } from './lib/result.ts';
import { loadProfile, run, startServer } from './status/load.ts';
import { prepareStatusState } from './status/state.ts';

/**
 * `npm run bench -- status --scale 0.1 --seed 1` (issue 5): status look-ups over loopback HTTP,
 * 10 connections, the server in its own process (bench/status/server.ts).
 * - value = look-ups per second of the mix residents and employers make: residents opening their
 *   own status (`GET /me/status`, a warm set of 20,000 who come back again and again, each
 *   request a random one with their own token) and employers' on-duty checks (`POST
 *   /status/on-duty-check`, `--onDutyShare` of requests, a random worker's code);
 * - baseline = the same run's rate of `GET /bench/constant` on the same server: the same token
 *   check, a constant answer;
 * - p50Ms / p99Ms of the mix; each kind alone; `cold*` = first visits of 60,000 other residents
 *   (nothing cached); server CPU per request and the cache's hit rate for each phase.
 */
const NOW = Date.parse('2022-04-13T04:00:00Z'); // 12:00 in Shanghai on the peak day

export async function main(argv: string[]): Promise<void> {
  const args = benchArgs(
    argv,
    { duration: { type: 'string' }, connections: { type: 'string' }, onDutyShare: { type: 'string' } },
    { scale: '0.1', seed: '1' },
  );
  const duration = Number(args.options.duration ?? 10);
  const connections = Number(args.options.connections ?? 10);
  const onDutyShare = Number(args.options.onDutyShare ?? 0.005);
  const secret = 'cordon-bench-cache';
  process.env.CORDON_BENCH_SECRET = secret;

  const city = await openBenchCity({
    name: 'status',
    scale: args.scale,
    seed: args.seed,
    clock: new ManualClock(NOW),
  });
  log('preparing residents, workers and their causes…');
  const state = await prepareStatusState(city.ctx, args.seed, NOW);
  const people = await city.ctx.store.db
    .selectFrom('people')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  // The server process opens the same files (or schema): close the context, keep the directory
  // (removed at exit).
  const pgSchema = city.ctx.store.pgSchema;
  await closeContext(city.ctx);
  if (pgSchema) process.env.CORDON_BENCH_PG_SCHEMA = pgSchema;

  const server = await startServer(city.dataDir, NOW);
  try {
    const url = `http://127.0.0.1:${server.port}`;
    const load = loadProfile(state, secret, NOW);
    log('warming up: the constant route, then each warm resident once…');
    await run(url, connections, 2, load.constant);
    await run(url, connections, 0, load.warmPass, undefined, load.warmCount);
    log(`baseline: ${duration} s of the constant route…`);
    const baseline = await run(url, connections, duration, load.constant, server.child);
    log(`look-ups: ${duration} s of the mix (${onDutyShare * 100} % on-duty checks)…`);
    const mix = await run(url, connections, duration, load.mix(onDutyShare), server.child);
    const half = Math.max(3, duration / 2);
    log(`each kind alone, ${half} s each, then first visits…`);
    const mine = await run(url, connections, half, load.mix(0), server.child);
    const onDuty = await run(url, connections, half, load.mix(1), server.child);
    const cold = await run(url, connections, half, load.cold, server.child);
    printResult({
      bench: 'status',
      scale: args.scale,
      value: mix.rps,
      unit: 'look-ups/s',
      baseline: baseline.rps,
      p50Ms: mix.p50Ms,
      p99Ms: mix.p99Ms,
      connections,
      durationS: duration,
      onDutyShare,
      errors: mix.errors,
      baselineP99Ms: baseline.p99Ms,
      serverCpuUsPerLookUp: mix.serverCpuUsPerRequest,
      serverLoopStallMaxMs: mix.serverLoopStallMaxMs,
      baselineLoopStallMaxMs: baseline.serverLoopStallMaxMs,
      serverCpuUsPerBaseline: baseline.serverCpuUsPerRequest,
      cacheHitRate: mix.cacheHitRate,
      myStatusRps: round(mine.rps),
      myStatusP99Ms: mine.p99Ms,
      myStatusLoopStallMaxMs: mine.serverLoopStallMaxMs,
      onDutyRps: round(onDuty.rps),
      onDutyP50Ms: onDuty.p50Ms,
      onDutyP99Ms: onDuty.p99Ms,
      onDutyServerCpuUs: onDuty.serverCpuUsPerRequest,
      onDutyLoopStallMaxMs: onDuty.serverLoopStallMaxMs,
      coldRps: round(cold.rps),
      coldP99Ms: cold.p99Ms,
      coldServerCpuUs: cold.serverCpuUsPerRequest,
      coldCacheHitRate: cold.cacheHitRate,
      people: Number(people.n),
      warmResidents: state.residents.length,
      coldResidents: state.coldResidents.length,
      workers: state.workers.length,
      episodes: state.episodes,
      orders: state.orders,
      cityFromCache: city.fromCache,
      dialect: process.env.CORDON_DATABASE_URL ? 'postgres' : 'sqlite',
    });
  } finally {
    await server.stop();
    await city.close();
  }
}

function round(x: number): number {
  return Math.round(x);
}

function log(message: string): void {
  console.error(`[status] ${message}`);
}
