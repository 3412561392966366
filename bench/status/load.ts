import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { encodePersonCode } from '../../src/app/access/person-code.ts';
import { issueToken } from '../../src/app/access/tokens.ts';
import { secretsFromMaster } from '../../src/app/secrets.ts';
import type { Principal } from '../../src/domain/access/principal.ts';
import type { Resident, StatusBenchState } from './state.ts';

/**
 * The status bench's load: request makers (each request its own random person and token),
 * autocannon phases, and the server process with its CPU time and cache counters over IPC.
 */
const HERE = path.dirname(fileURLToPath(import.meta.url));

interface LoadRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}
export type Setup = (req: LoadRequest) => LoadRequest;

export interface Phase {
  /** Server CPU time per request (µs): the cost of the route itself, contention aside. */
  serverCpuUsPerRequest: number;
  /** The longest the server's event loop was held during the phase (ms). */
  serverLoopStallMaxMs: number;
  /** Share of resident look-ups the server answered from its inputs cache. */
  cacheHitRate: number | null;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  requests: number;
}

export function loadProfile(state: StatusBenchState, secret: string, codeNow: number) {
  // Login tokens are checked against the wall clock, person codes against the deployment's clock.
  const keys = secretsFromMaster(secret);
  const residentToken = (p: Resident, i: number) => {
    const principal: Principal = {
      userId: 2_000_000 + i,
      username: `resident-${p.personId}`,
      role: 'resident',
      scope: { kind: 'self', personId: p.personId, districtId: p.districtId },
    };
    return `Bearer ${issueToken(keys.tokenKey, principal, Date.now())}`;
  };
  const warm = state.residents.map(residentToken);
  const cold = state.coldResidents.map((p, i) => residentToken(p, 100_000 + i));
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
        expiresAt: codeNow + 24 * 3600_000,
      }),
    }),
  }));
  const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)];
  const myStatus = (authorization: string): LoadRequest => ({
    method: 'GET',
    path: '/api/v1/me/status',
    headers: { authorization },
    body: undefined,
  });
  let next = 0;
  return {
    constant: ((req) => ({
      ...req,
      method: 'GET',
      path: '/api/v1/bench/constant',
      headers: { authorization: pick(warm) },
    })) as Setup,
    mix:
      (share: number): Setup =>
      (req) => {
        if (Math.random() >= share) return { ...req, ...myStatus(pick(warm)) };
        const c = pick(checks);
        return {
          ...req,
          method: 'POST',
          path: '/api/v1/status/on-duty-check',
          headers: { authorization: c.authorization, 'content-type': 'application/json' },
          body: c.body,
        };
      },
    /** Every warm resident once, in turn (fills the server's cache: the steady state of repeat visits). */
    warmPass: ((req) => ({ ...req, ...myStatus(warm[next++ % warm.length]) })) as Setup,
    warmCount: warm.length,
    /** Each cold resident once: first visits, nothing cached. */
    cold: ((req) => ({ ...req, ...myStatus(cold[next++ % cold.length]) })) as Setup,
  };
}

export async function run(
  url: string,
  connections: number,
  seconds: number,
  setupRequest: Setup,
  child?: ChildProcess,
  amount?: number,
): Promise<Phase> {
  const before = child ? await ask(child) : null;
  const options = amount ? { amount } : { duration: seconds };
  const result = await autocannon({
    url,
    connections,
    ...options,
    requests: [{ setupRequest: setupRequest as never }],
  });
  const after = child ? await ask(child) : null;
  if (result.non2xx > 0 || result.errors > 0) {
    console.error(`[status] responses: ${JSON.stringify(result.statusCodeStats)}, errors ${result.errors}`);
  }
  const elapsed = amount ? result.duration : seconds;
  const looked = before && after ? after.hits + after.misses - before.hits - before.misses : 0;
  return {
    serverCpuUsPerRequest:
      before && after && result.requests.total
        ? Math.round(((after.cpu - before.cpu) / result.requests.total) * 10) / 10
        : 0,
    cacheHitRate:
      before && after && looked ? Math.round(((after.hits - before.hits) / looked) * 1000) / 1000 : null,
    serverLoopStallMaxMs: after ? Math.round(after.loopDelayMaxMs * 10) / 10 : 0,
    rps: result.requests.total / elapsed,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    requests: result.requests.total,
  };
}

/** The server's CPU time (µs) and inputs-cache counters, asked over IPC. */
function ask(
  child: ChildProcess,
): Promise<{ cpu: number; hits: number; misses: number; loopDelayMaxMs: number }> {
  return new Promise((resolve) => {
    const listen = (m: unknown) => {
      const reply = m as { cpu?: NodeJS.CpuUsage; hits?: number; misses?: number; loopDelayMaxMs?: number };
      if (!reply.cpu) return;
      child.off('message', listen);
      resolve({
        cpu: reply.cpu.user + reply.cpu.system,
        hits: reply.hits ?? 0,
        misses: reply.misses ?? 0,
        loopDelayMaxMs: reply.loopDelayMaxMs ?? 0,
      });
    };
    child.on('message', listen);
    child.send('stats');
  });
}

export interface StatusServer {
  child: ChildProcess;
  port: number;
  /** Asks the server to stop and resolves once its process has exited. */
  stop(): Promise<void>;
}

export function startServer(dataDir: string, now: number): Promise<StatusServer> {
  return new Promise((resolve, reject) => {
    const profile = process.env.CORDON_BENCH_PROFILE
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.CORDON_BENCH_PROFILE}`]
      : [];
    const child = fork(path.join(HERE, 'server.ts'), [dataDir, String(now)], {
      execArgv: ['--import', 'tsx', ...profile],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null) child.send('stop');
      await exited;
    };
    child.once('message', (m) => resolve({ child, port: (m as { port: number }).port, stop }));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
}
