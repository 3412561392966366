import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { encodePersonCode } from '../src/app/access/person-code.ts';
import { issueToken } from '../src/app/access/tokens.ts';
import { secretsFromMaster } from '../src/app/secrets.ts';
import type { Principal } from '../src/domain/access/principal.ts';
import { ManualClock } from '../src/domain/time/clock.ts';
import { benchArgs } from './lib/args.ts';
import { openBenchCity } from './lib/city.ts';
import { printResult } from './lib/result.ts';
import { prepareStatusState, type StatusBenchState } from './status/state.ts';

/**
 * `npm run bench -- status --scale 0.1 --seed 1` (issue 5): status look-ups over loopback HTTP,
 * 10 connections, the server in its own process.
 * - value = look-ups per second of the mix residents and employers make: residents opening
 *   their own status (`GET /me/status`) and employers' on-duty checks (`POST
 *   /status/on-duty-check`, one in `--onDutyShare`); each with its own token, a random person;
 * - baseline = the same run's rate of `GET /bench/constant` on the same server: the same token
 *   check, a constant answer;
 * - p50Ms / p99Ms of the mix, and each kind's own rate and latencies.
 */
const HERE = path.dirname(fileURLToPath(import.meta.url));
const NOW = Date.parse('2022-04-13T04:00:00Z'); // 12:00 in Shanghai on the peak day

interface Phase {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  requests: number;
}

export async function main(argv: string[]): Promise<void> {
  const args = benchArgs(
    argv,
    { duration: { type: 'string' }, connections: { type: 'string' }, onDutyShare: { type: 'string' } },
    { scale: '0.1', seed: '1' },
  );
  const duration = Number(args.options.duration ?? 10);
  const connections = Number(args.options.connections ?? 10);
  const onDutyShare = Number(args.options.onDutyShare ?? 0.1);
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
  const dataDir = city.dataDir;
  const people = await city.ctx.store.db
    .selectFrom('people')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  await city.close();

  const server = await startServer(dataDir);
  try {
    const url = `http://127.0.0.1:${server.port}`;
    const load = loadProfile(state, secret);
    log('warming up…');
    await run(url, connections, 2, load.constant);
    await run(url, connections, 2, load.mix(onDutyShare));
    log(`baseline: ${duration} s of the constant route…`);
    const baseline = await run(url, connections, duration, load.constant);
    log(`look-ups: ${duration} s of the mix (${Math.round(onDutyShare * 100)} % on-duty checks)…`);
    const mix = await run(url, connections, duration, load.mix(onDutyShare));
    log(`each kind alone: ${Math.max(3, duration / 2)} s each…`);
    const mine = await run(url, connections, Math.max(3, duration / 2), load.mix(0));
    const onDuty = await run(url, connections, Math.max(3, duration / 2), load.mix(1));
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
      errors: mix.errors + mix.non2xx,
      baselineP99Ms: baseline.p99Ms,
      myStatusRps: mine.rps,
      myStatusP50Ms: mine.p50Ms,
      myStatusP99Ms: mine.p99Ms,
      onDutyRps: onDuty.rps,
      onDutyP50Ms: onDuty.p50Ms,
      onDutyP99Ms: onDuty.p99Ms,
      people: Number(people.n),
      residentsLookedUp: state.residents.length,
      workersChecked: state.workers.length,
      episodes: state.episodes,
      orders: state.orders,
      cityFromCache: city.fromCache,
      dialect: process.env.CORDON_DATABASE_URL ? 'postgres' : 'sqlite',
    });
  } finally {
    server.child.send('stop');
  }
}

interface LoadRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}
type Setup = (req: LoadRequest) => LoadRequest;

/** Request makers: each call picks a random person and signs as them (or as their employer). */
function loadProfile(state: StatusBenchState, secret: string) {
  // Login tokens are checked against the wall clock, person codes against the deployment's clock.
  const keys = secretsFromMaster(secret);
  const residentTokens = state.residents.map((p, i) => {
    const principal: Principal = {
      userId: 2_000_000 + i,
      username: `resident-${p.personId}`,
      role: 'resident',
      scope: { kind: 'self', personId: p.personId, districtId: p.districtId },
    };
    return `Bearer ${issueToken(keys.tokenKey, principal, Date.now())}`;
  });
  const employerTokens = new Map<number, string>();
  for (const w of state.workers) {
    if (employerTokens.has(w.organisationId)) continue;
    const principal: Principal = {
      userId: 3_000_000 + w.organisationId,
      username: `employer-${w.organisationId}`,
      role: 'employer',
      scope: { kind: 'organisation', organisationId: w.organisationId },
    };
    employerTokens.set(w.organisationId, `Bearer ${issueToken(keys.tokenKey, principal, Date.now())}`);
  }
  const checks = state.workers.map((w) => ({
    authorization: employerTokens.get(w.organisationId)!,
    body: JSON.stringify({
      code: encodePersonCode(keys.codeKey, {
        ref: w.ref,
        districtId: w.districtId,
        expiresAt: NOW + 24 * 3600_000,
      }),
    }),
  }));
  const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)];
  const constant: Setup = (req) => ({
    ...req,
    method: 'GET',
    path: '/api/v1/bench/constant',
    headers: { authorization: pick(residentTokens) },
  });
  const mix =
    (share: number): Setup =>
    (req): LoadRequest => {
      if (Math.random() < share) {
        const c = pick(checks);
        const headers: Record<string, string> = {
          authorization: c.authorization,
          'content-type': 'application/json',
        };
        return { ...req, method: 'POST', path: '/api/v1/status/on-duty-check', headers, body: c.body };
      }
      const headers: Record<string, string> = { authorization: pick(residentTokens) };
      return { ...req, method: 'GET', path: '/api/v1/me/status', headers, body: undefined };
    };
  return { constant, mix };
}

async function run(url: string, connections: number, seconds: number, setupRequest: Setup): Promise<Phase> {
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    requests: [{ setupRequest: setupRequest as never }],
  });
  if (result.non2xx > 0 || result.errors > 0)
    log(`responses: ${JSON.stringify(result.statusCodeStats)}, errors ${result.errors}`);
  return {
    rps: result.requests.total / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    requests: result.requests.total,
  };
}

function startServer(dataDir: string): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const profile = process.env.CORDON_BENCH_PROFILE
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.CORDON_BENCH_PROFILE}`]
      : [];
    const child = fork(path.join(HERE, 'status/server.ts'), [dataDir, String(NOW)], {
      execArgv: ['--import', 'tsx', ...profile],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.once('message', (m) => resolve({ child, port: (m as { port: number }).port }));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
}

function log(message: string): void {
  console.error(`[status] ${message}`);
}
