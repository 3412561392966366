/**
 * `npm run bench -- overview --scale S --seed N [--seconds 20] [--clients 8]`: the command
 * picture's data (GET /api/v1/overview) for the whole city and for one district, over HTTP, on
 * the city in the state of the 13 April 2022 peak (bench/overview/peak.ts).
 *
 * value    = overview requests per second, city and district alternating, `--clients` at once
 *            for `--seconds`, against the real server in its own process (bench/overview/server.ts:
 *            `cordon serve` with its clock running from the peak evening);
 * p50Ms, p95Ms = their latency (also per area);
 * baseline = the same run's rate of a constant route behind the same authentication
 *            (GET /api/v1/auth/me, same token, same clients);
 * cold*    = the first request of each area after start (every section counted from the tables),
 *            and each section's own cost on the city, measured in-process before the server starts.
 * The overview keeps each section per region until an event that concerns it arrives
 * (src/api/overview/sections/cache.ts): the steady rate is that design's, the cold figures are
 * what a recount costs.
 */
import { createUser } from '../src/app/access/users.ts';
import fs from 'node:fs';
import { closeContext, createContext } from '../src/app/bootstrap.ts';
import { secretsFromMaster } from '../src/app/secrets.ts';
import { resolveArea } from '../src/api/overview/area.ts';
import { registrySection } from '../src/api/overview/sections/registry.ts';
import { alertsSection } from '../src/api/overview/sections/alerts.ts';
import { bedsSection } from '../src/api/overview/sections/beds.ts';
import { casesSection } from '../src/api/overview/sections/cases.ts';
import { clearingSection } from '../src/api/overview/sections/clearing.ts';
import { contactsSection } from '../src/api/overview/sections/contacts.ts';
import { controlSection } from '../src/api/overview/sections/control.ts';
import { coverageSection } from '../src/api/overview/sections/coverage.ts';
import { stagesSection } from '../src/api/overview/sections/stages.ts';
import { testOrdersSection } from '../src/api/overview/sections/test-orders.ts';
import { transfersSection } from '../src/api/overview/sections/transfers.ts';
import { zonesSection } from '../src/api/overview/sections/zones.ts';
import type { AnySectionSource } from '../src/api/overview/area.ts';
import type { AppContext } from '../src/app/context.ts';
import type { Principal } from '../src/domain/access/principal.ts';
import { atLocalTime } from '../src/domain/time/calendar.ts';
import { ManualClock } from '../src/domain/time/clock.ts';
import { benchArgs } from './lib/args.ts';
import { openBenchCity } from './lib/city.ts';
import { PEAK_DAY } from './lib/peak-state.ts';
import { printResult } from './lib/result.ts';
import { call, percentile, runClients, type Http } from './ingest/drive.ts';
import { buildOverviewPeak, type PeakFigures } from './overview/peak.ts';
import { peakCacheFile, restorePeak, savePeak } from './overview/peak-cache.ts';
import { startBenchServer, type BenchServer } from './overview/server-process.ts';

const TZ = 'Asia/Shanghai';
/** The seeded cities' secret (bench/lib/city.ts): the server must read the same id hashes. */
const BENCH_SECRET = 'cordon-bench-cache';
const ADMIN = { username: 'bench-admin', password: 'bench-admin-2022' };
const DISTRICT = { username: 'bench-district', password: 'bench-district-2022' };
const SECTIONS: AnySectionSource[] = [
  registrySection,
  alertsSection,
  controlSection,
  testOrdersSection,
  casesSection,
  clearingSection,
  coverageSection,
  stagesSection,
  transfersSection,
  bedsSection,
  zonesSection,
  contactsSection,
];

const log = (message: string) => console.error(`[overview] ${message}`);
const round1 = (x: number) => Math.round(x * 10) / 10;

/** Each section's cost for one area, counted straight from the tables (no cache). */
async function sectionCosts(
  ctx: AppContext,
  principal: Principal,
  regionId?: number,
): Promise<Record<string, number>> {
  const area = resolveArea(ctx, principal, regionId);
  const out: Record<string, number> = {};
  for (const source of SECTIONS) {
    const started = performance.now();
    await source.compute(ctx, area);
    out[source.key] = round1(performance.now() - started);
  }
  return out;
}

async function timedGet(http: Http, path: string, token: string): Promise<number> {
  const started = performance.now();
  await call(http, 'GET', path, token);
  return round1(performance.now() - started);
}

/** `clients` clients call `paths` in turn for `seconds`; latencies per path. */
async function drive(http: Http, token: string, paths: string[], clients: number, seconds: number) {
  const deadline = performance.now() + seconds * 1000;
  let turn = 0;
  const byPath = new Map<string, number[]>(paths.map((p) => [p, []]));
  const started = performance.now();
  const all = await runClients(
    clients,
    async () => (performance.now() < deadline ? paths[turn++ % paths.length] : null),
    async (path) => {
      const t0 = performance.now();
      await call(http, 'GET', path, token);
      byPath.get(path)!.push(performance.now() - t0);
    },
  );
  const elapsed = (performance.now() - started) / 1000;
  return { rate: all.length / elapsed, all, byPath };
}

/** The bench's users, created with the peak (and kept with it in the cache). */
async function createUsers(ctx: AppContext, districtId: number): Promise<void> {
  await createUser(ctx, { ...ADMIN, role: 'admin', regionId: ctx.regions.city()!.id });
  await createUser(ctx, { ...DISTRICT, role: 'district_command', regionId: districtId });
}

const PEAK_SETTING = 'bench.overview.peak';

/** The peak in the data directory: from the cache when one matches, else built (and cached). */
async function peakContext(
  city: Awaited<ReturnType<typeof openBenchCity>>,
  options: { scale: number; seed: number; now: number; districtId: number },
): Promise<{ ctx: AppContext; peak: PeakFigures; fromCache: boolean }> {
  let ctx = city.ctx;
  const file = ctx.store.dialect === 'sqlite' ? peakCacheFile(options.scale, options.seed, city.cache) : null;
  if (file && fs.existsSync(file)) {
    const config = ctx.config;
    await closeContext(ctx);
    restorePeak(file, city.dataDir);
    ctx = await createContext({
      config,
      clock: new ManualClock(options.now),
      secrets: secretsFromMaster(BENCH_SECRET),
    });
    const row = await ctx.store.db
      .selectFrom('settings')
      .select('value')
      .where('key', '=', PEAK_SETTING)
      .executeTakeFirstOrThrow();
    return { ctx, peak: JSON.parse(row.value) as PeakFigures, fromCache: true };
  }
  log(`building the peak of ${PEAK_DAY}…`);
  const peak = await buildOverviewPeak(ctx, options);
  await createUsers(ctx, options.districtId);
  await ctx.store.db
    .insertInto('settings')
    .values({ key: PEAK_SETTING, value: JSON.stringify(peak) })
    .execute();
  if (file) await savePeak(ctx, file);
  return { ctx, peak, fromCache: false };
}

export async function main(argv: string[]): Promise<void> {
  const { scale, seed, options } = benchArgs(
    argv,
    { seconds: { type: 'string', default: '20' }, clients: { type: 'string', default: '8' } },
    { scale: '0.1', seed: '1' },
  );
  const seconds = Number(options.seconds);
  const clients = Number(options.clients);
  const peakEvening = atLocalTime(PEAK_DAY, 18, 0, TZ);
  const city = await openBenchCity({ name: 'overview', scale, seed, clock: new ManualClock(peakEvening) });
  let ctx: AppContext = city.ctx;
  let server: BenchServer | null = null;
  try {
    const cityRegion = ctx.regions.city()!;
    // The largest district by population: the heaviest single-district view.
    const district = ctx.regions.districts().sort((a, b) => b.population - a.population)[0];
    log(`city from ${city.fromCache ? 'cache' : 'a fresh seed'}`);
    const built = await peakContext(city, { scale, seed, now: peakEvening, districtId: district.id });
    ctx = built.ctx;
    log(`peak ${built.fromCache ? 'from cache' : 'built'}: ${JSON.stringify(built.peak)}`);
    const admin: Principal = {
      userId: 0,
      username: ADMIN.username,
      role: 'admin',
      scope: { kind: 'region', regionId: cityRegion.id },
    };
    log('counting each section from the tables (no cache)…');
    const sectionsCityMs = await sectionCosts(ctx, admin);
    const sectionsDistrictMs = await sectionCosts(ctx, admin, district.id);
    log(`city: ${JSON.stringify(sectionsCityMs)}`);
    log(`district: ${JSON.stringify(sectionsDistrictMs)}`);
    const pgSchema = ctx.store.pgSchema;
    await closeContext(ctx);

    // A large database on a busy machine can take minutes to open and catch up: wait for it.
    if (pgSchema) process.env.CORDON_BENCH_PG_SCHEMA = pgSchema;
    server = await startBenchServer(city.dataDir, peakEvening, 15 * 60_000);
    const http: Http = { url: server.url, throttled: 0 };
    const login = async (user: { username: string; password: string }) =>
      `Bearer ${((await call(http, 'POST', '/auth/login', '', user)).json as { token: string }).token}`;
    const adminToken = await login(ADMIN);
    const clock = (await call(http, 'GET', '/admin/clock', adminToken)).json as { iso: string };
    log(`server ${server.url}, clock ${clock.iso}`);
    const cityPath = '/overview';
    const districtPath = `/overview?regionId=${district.id}`;
    const coldCityMs = await timedGet(http, cityPath, adminToken);
    const coldDistrictMs = await timedGet(http, districtPath, adminToken);
    log(`cold: city ${coldCityMs} ms, district ${coldDistrictMs} ms`);

    // The first minutes after a start are the consumers' and the rule clock's catch-up: settle.
    log('warming up (unmeasured)…');
    await drive(http, adminToken, [cityPath, districtPath], clients, Math.min(10, seconds));
    log(`baseline: GET /auth/me, ${clients} clients, ${seconds} s…`);
    const baseline = await drive(http, adminToken, ['/auth/me'], clients, seconds);
    log(`overview: city and district in turn, ${clients} clients, ${seconds} s…`);
    const overview = await drive(http, adminToken, [cityPath, districtPath], clients, seconds);
    const cityLatencies = overview.byPath.get(cityPath)!;
    const districtLatencies = overview.byPath.get(districtPath)!;
    printResult({
      bench: 'overview',
      scale,
      value: overview.rate,
      unit: 'requests/s',
      baseline: baseline.rate,
      p50Ms: round1(percentile(overview.all, 0.5)),
      p95Ms: round1(percentile(overview.all, 0.95)),
      cityP95Ms: round1(percentile(cityLatencies, 0.95)),
      districtP95Ms: round1(percentile(districtLatencies, 0.95)),
      baselineP50Ms: round1(percentile(baseline.all, 0.5)),
      baselineP95Ms: round1(percentile(baseline.all, 0.95)),
      requests: overview.all.length,
      throttled: http.throttled,
      clients,
      seconds,
      coldCityMs,
      coldDistrictMs,
      sectionsCityMs,
      sectionsDistrictMs,
      district: district.nameEn,
      database: pgSchema ? 'postgres' : 'sqlite',
      peakFromCache: built.fromCache,
      peak: { ...built.peak, seconds: undefined },
      setupSeconds: built.peak.seconds,
    });
  } finally {
    await server?.stop();
    await closeContext(ctx).catch(() => undefined);
    await city.close().catch(() => undefined);
  }
}
