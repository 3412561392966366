import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeContext, createContext } from '../../src/app/bootstrap.ts';
import type { AppContext } from '../../src/app/context.ts';
import { seedCity } from '../../src/app/registry/seed.ts';
import { secretsFromMaster } from '../../src/app/secrets.ts';
import { ensureActorAccounts } from '../../src/app/simulation/accounts.ts';
import { loadCity } from '../../src/app/simulation/city-loader.ts';
import { runSimulation, type RunSummary } from '../../src/app/simulation/run.ts';
import type { CordonConfig } from '../../src/config/config.ts';
import { dailyCsv } from '../../src/domain/simulation/figures.ts';
import { testConfig } from '../support/harness.ts';
import { cityRecords, runModel, TEST_DRILL } from './support.ts';

/**
 * The simulator through the real HTTP API on SQLite: two runs of the same seed on two copies of
 * one seeded city — one with the server in the test's process, one with `cordon serve` in its own
 * (as `cordon simulate` runs it) — give byte-identical daily.csv, the same file the model alone
 * gives, leave the same records, and the audit trail samplers, labs, crews, facilities, tracers
 * and the command post would.
 */
const SCALE = 0.002;
const DAYS = 5;
const SECRET = 'simulation-test';
const SH = (local: string) => Date.parse(`${local}:00+08:00`);

const config = (dataDir: string): CordonConfig => testConfig(dataDir);

const open = (dir: string) => createContext({ config: config(dir), secrets: secretsFromMaster(SECRET) });
const dirs: string[] = [];
const runs: { ctx: AppContext; summary: RunSummary }[] = [];

beforeAll(async () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'cordon-sim-'));
  dirs.push(base);
  const seeded = await open(base);
  await seedCity(seeded, { scale: SCALE, seed: 1 });
  await ensureActorAccounts(seeded, (await loadCity(seeded, 2022)).records);
  await seeded.store.sqlite!.backup(path.join(base, 'city.db'));
  await closeContext(seeded);
  for (let i = 0; i < 2; i++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cordon-sim-'));
    dirs.push(dir);
    fs.copyFileSync(path.join(base, 'city.db'), path.join(dir, 'cordon.db'));
    const ctx = await open(dir);
    runs.push({
      ctx,
      summary: await runSimulation(ctx, {
        scale: SCALE,
        days: DAYS,
        speed: 0,
        seed: 5,
        scenario: TEST_DRILL,
        serverProcess:
          i === 1
            ? { ...process.env, CORDON_DATA_DIR: dir, CORDON_SECRET: SECRET, CORDON_DATABASE_URL: '' }
            : undefined,
      }),
    });
  }
}, 1_800_000);

afterAll(async () => {
  for (const r of runs) await closeContext(r.ctx);
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('cordon simulate through the HTTP API', () => {
  it('gives a byte-identical daily.csv for the same seed, equal to the model run alone', () => {
    const [a, b] = runs.map((r) => dailyCsv(r.summary.figures));
    expect(a).toBe(b);
    expect(a).toBe(dailyCsv(runModel(cityRecords(SCALE, 1), TEST_DRILL, 5, SCALE, DAYS)));
    expect(runs[0].summary.figures.reduce((s, f) => s + f.reported, 0)).toBeGreaterThan(0);
  });

  it('takes the same steps with the server in its own process', async () => {
    const counts = async (ctx: AppContext) => {
      const db = ctx.store.db;
      const count = async (table: 'cases' | 'tubes' | 'scans' | 'transfer_orders' | 'zone_designations') =>
        Number(
          (
            await db
              .selectFrom(table)
              .select((e) => e.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      return {
        cases: await count('cases'),
        tubes: await count('tubes'),
        scans: await count('scans'),
        transfers: await count('transfer_orders'),
        designations: await count('zone_designations'),
      };
    };
    const [inProcess, ownProcess] = [await counts(runs[0].ctx), await counts(runs[1].ctx)];
    expect(inProcess.scans).toBeGreaterThan(0);
    expect(ownProcess).toEqual(inProcess);
    // The same requests, plus one call per step that waits for the server's consumers (in-process
    // the run waits on them directly).
    const drains = runs[1].summary.byRoute.find(([route]) => route.startsWith('POST /admin/events/drain'));
    expect(drains?.[1]).toBeGreaterThan(0);
    expect(runs[1].summary.requests - drains![1]).toBe(runs[0].summary.requests);
    expect(runs[1].summary.failures).toBe(0);
  });

  it('acts as the users would: the audit log holds their requests under their roles', async () => {
    const rows = await runs[0].ctx.store.db.selectFrom('audit_log').select(['role', 'action']).execute();
    const byRole = new Map<string, Set<string>>();
    for (const r of rows) byRole.set(r.role ?? '', (byRole.get(r.role ?? '') ?? new Set()).add(r.action));
    expect([...(byRole.get('sampler') ?? [])]).toContain('scans.record');
    expect([...(byRole.get('tracer') ?? [])]).toContain('tracing.checkins.ingest');
    // Labs post tube results, which name nobody: Cordon audits personal data, so labs leave no rows.
    // Crews and facilities act on the cases the server made from screening's positives.
    const cases = await runs[0].ctx.store.db.selectFrom('cases').select('id').execute();
    expect(cases.length).toBeGreaterThan(0);
    for (const role of ['transfer', 'facility']) expect([...byRole.keys()], role).toContain(role);
    expect([...byRole.keys()]).toContain('city_command');
    expect(runs[0].summary.requests).toBeGreaterThan(100);
    expect(runs[0].summary.failures).toBe(0);
  });

  it("makes a drill's events happen at their times", async () => {
    const db = runs[0].ctx.store.db;
    const round = await db
      .selectFrom('screening_rounds')
      .select(['created_at', 'starts_at'])
      .where('name', 'like', '%测试%')
      .executeTakeFirstOrThrow();
    expect(Number(round.created_at)).toBe(SH('2022-04-03T06:00'));
    expect(Number(round.starts_at)).toBe(SH('2022-04-03T06:00'));
    const beds = await db
      .selectFrom('events')
      .select('occurred_at')
      .where('type', '=', 'facility.beds_changed')
      .where('occurred_at', '=', SH('2022-04-02T08:00'))
      .execute();
    expect(beds.length).toBeGreaterThan(0);
    // Every lab is down from 14:00 to 20:00 on 3 April; analyses take 3 h and labs upload every 3 h:
    // nothing is resulted after the 18:00 upload until the 23:59 one.
    const during = await db
      .selectFrom('tubes')
      .select('barcode')
      .where('resulted_at', '>', SH('2022-04-03T18:00'))
      .where('resulted_at', '<', SH('2022-04-03T23:00'))
      .execute();
    expect(during).toHaveLength(0);
  });
});
