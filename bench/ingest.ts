import { sql } from 'kysely';
import fs from 'node:fs';
import path from 'node:path';
import { secretsFromMaster } from '../src/app/secrets.ts';
import { benchArgs } from './lib/args.ts';
import { openBenchCity } from './lib/city.ts';
import { printResult } from './lib/result.ts';
import { pgBaseline, sqliteBaseline } from './ingest/baseline.ts';
import { call, percentile, runClients, type Http } from './ingest/drive.ts';
import { writeBodies, readBody } from './ingest/bodies.ts';
import { planScans, streetSites } from './ingest/plan.ts';
import { runResultsPhase } from './ingest/results-phase.ts';
import { startServerProcess } from './ingest/server-process.ts';
import { setUpActors } from './ingest/setup.ts';

/**
 * `npm run bench -- ingest --scale 0.1 --seed 1 [--results] [--clients 8] [--batch 1000]`
 * (issue 3): a citywide round's scans, batched as sampler devices send them, from concurrent
 * clients over loopback HTTP to the real server process (`cordon serve`), through to committed
 * rows. value = scans/s; p50Ms / p99Ms = batch latency; baseline = the same run's raw insert
 * rate of the same scans into a plain reference table (bench/ingest/baseline.ts). With
 * --results every tube is closed, boxed, carried and received, and its result posted:
 * resultsTubesPerSec = tubes/s until every member's result is readable.
 */
const BENCH_SECRET = 'cordon-bench-cache'; // the cached cities' master secret (bench/lib/city.ts)

export async function main(argv: string[]): Promise<void> {
  const args = benchArgs(
    argv,
    {
      results: { type: 'boolean' },
      clients: { type: 'string' },
      batch: { type: 'string' },
      positivity: { type: 'string' },
    },
    { scale: '0.1', seed: '1' },
  );
  const clients = Number(args.options.clients ?? 8);
  const batchSize = Number(args.options.batch ?? 1000);
  const city = await openBenchCity({ name: 'ingest', scale: args.scale, seed: args.seed });
  const ctx = city.ctx;
  if (!secretsFromMaster(BENCH_SECRET).codeKey.equals(ctx.secrets.codeKey)) {
    throw new Error('the bench city is not keyed with the bench secret');
  }
  let server: Awaited<ReturnType<typeof startServerProcess>> | null = null;
  try {
    const sites = await streetSites(ctx);
    const actors = await setUpActors(ctx);
    const people = Number(
      (
        await ctx.store.db
          .selectFrom('people')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

    log(`baseline: raw inserts of the same scans (${ctx.store.dialect})…`);
    const baselineCap = 2_500_000;
    const baseline =
      ctx.store.dialect === 'sqlite'
        ? {
            ...(await sqliteBaseline(city.dataDir, planScans(ctx, sites, batchSize, baselineCap))),
            copyPerSecond: undefined,
          }
        : await pgBaseline(process.env.CORDON_DATABASE_URL!, planScans(ctx, sites, 1000, baselineCap));
    log(`baseline ${Math.round(baseline.perSecond)} rows/s over ${baseline.rows} rows`);

    const databaseUrl = ctx.store.dialect === 'postgres' ? await serverDatabaseUrl(ctx) : '';
    server = await startServerProcess({
      CORDON_DATA_DIR: city.dataDir,
      CORDON_SECRET: BENCH_SECRET,
      CORDON_DATABASE_URL: databaseUrl,
    });
    const http: Http = { url: server.url, throttled: 0 };
    log(`server ${server.url}; ${people} residents, ${clients} clients, batches of ${batchSize}`);

    log("making the devices' request bodies…");
    const bodyFile = path.join(city.dataDir, 'bodies.bin');
    const bodies = await writeBodies(ctx, sites, actors.roundId, batchSize, bodyFile);
    const fd = fs.openSync(bodyFile, 'r');
    let cursor = 0;
    let scans = 0;
    let accepted = 0;
    const rejected = new Map<string, number>();
    const next = async () => {
      const ref = bodies[cursor++];
      return ref
        ? { body: readBody(fd, ref), token: actors.samplers.get(ref.organisationId)!, n: ref.scans }
        : null;
    };
    const started = performance.now();
    const latencies = await runClients(clients, next, async (job) => {
      const { json } = await call(http, 'POST', '/scans/batch', job.token, job.body);
      const r = json as { accepted: number; results: { status: string; code?: string }[] };
      scans += job.n;
      accepted += r.accepted;
      for (const x of r.results) {
        if (x.status === 'rejected') rejected.set(x.code!, (rejected.get(x.code!) ?? 0) + 1);
      }
    });
    const seconds = (performance.now() - started) / 1000;
    fs.closeSync(fd);
    const stored = Number(
      (await sql<{ n: number }>`select count(*) as n from scans`.execute(ctx.store.db)).rows[0].n,
    );
    log(`ingest: ${scans} scans in ${seconds.toFixed(1)} s, ${stored} stored`);
    if (stored !== accepted) {
      throw new Error(`${accepted} scans acknowledged as accepted but ${stored} stored`);
    }

    const results = args.options.results
      ? await runResultsPhase(ctx, http, actors, sites, {
          clients,
          positivity: Number(args.options.positivity ?? 0.0005),
          log,
        })
      : null;
    printResult({
      bench: 'ingest',
      scale: args.scale,
      value: scans / seconds,
      unit: 'scans/s',
      baseline: baseline.perSecond,
      dialect: ctx.store.dialect,
      cityFromCache: city.fromCache,
      residents: people,
      scans,
      accepted,
      rejected: Object.fromEntries(rejected),
      tubes: Number(
        (await sql<{ n: number }>`select count(*) as n from tubes`.execute(ctx.store.db)).rows[0].n,
      ),
      seconds: round(seconds),
      clients,
      batchSize,
      requests: latencies.length,
      p50Ms: round(percentile(latencies, 0.5)),
      p99Ms: round(percentile(latencies, 0.99)),
      throttled: http.throttled,
      baselineRows: baseline.rows,
      ...(baseline.copyPerSecond ? { copyPerSecond: Math.round(baseline.copyPerSecond) } : {}),
      ...(results ?? {}),
    });
  } finally {
    await server?.stop();
    await city.close();
  }
}

/** The server process works in the bench's run schema: pass it on the URL (libpq `options`). */
async function serverDatabaseUrl(ctx: Parameters<typeof setUpActors>[0]): Promise<string> {
  const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(ctx.store.db)).rows[0].s;
  const url = new URL(process.env.CORDON_DATABASE_URL!);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function log(message: string): void {
  console.error(`[ingest] ${message}`);
}
