import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type SqlBool } from 'kysely';
import { hashNationalId } from '../../src/app/registry/id-hash.ts';
import { shanghaiDistricts } from '../../src/app/registry/reference-data.ts';
import { seedCity, type SeedSummary } from '../../src/app/registry/seed.ts';
import { planCity, syntheticCity } from '../../src/domain/registry/synthetic-city.ts';
import { PEOPLE_INDEXES } from '../../src/store/registry/people-indexes.ts';
import { openTestContext, testDialects, type TestContext } from '../support/harness.ts';

const SCALE = 0.0002;

describe.each(testDialects())('seeding the synthetic city on %s', (dialect) => {
  let ctx: TestContext;
  let summary: SeedSummary;
  const phases = new Set<string>();

  beforeAll(async () => {
    ctx = await openTestContext(dialect);
    summary = await seedCity(ctx, {
      scale: SCALE,
      seed: 7,
      batchPeople: 1000,
      onProgress: (p) => phases.add(p.phase),
    });
  });
  afterAll(async () => {
    await ctx.close();
  });

  it('writes the whole city and reports it', async () => {
    const expected = shanghaiDistricts().reduce((s, d) => s + Math.round(d.population * SCALE), 0);
    expect(summary.people).toBe(expected);
    expect(summary.districts).toBe(16);
    expect(summary.streets).toBeGreaterThanOrEqual(32);
    expect(summary.committees).toBeGreaterThanOrEqual(summary.streets);
    expect(summary.households).toBeGreaterThan(expected / 3);
    expect(summary.buildings).toBeGreaterThan(0);
    expect(summary.samplingSites).toBeGreaterThanOrEqual(summary.streets);
    expect([...phases]).toEqual(['regions', 'people', 'indexes', 'done']);
    const count = await ctx.store.db
      .selectFrom('people')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(expected);
  });

  it('stores the same city the generator makes, with the national id only as its keyed hash', async () => {
    const plan = planCity(shanghaiDistricts(), { scale: SCALE, seed: 7 });
    let first = null;
    for (const chunk of syntheticCity(plan)) {
      if (chunk.people?.length) {
        first = chunk.people[0];
        break;
      }
    }
    const stored = await ctx.store.db
      .selectFrom('people')
      .selectAll()
      .where('id', '=', first!.id)
      .executeTakeFirstOrThrow();
    expect(stored.name).toBe(first!.name);
    expect(stored.ref).toBe(first!.ref);
    // Stored as the hash's 32 bytes (ADR 0009).
    expect(stored.id_hash).toHaveLength(32);
    expect(stored.id_hash!.toString('hex')).toBe(hashNationalId(ctx.secrets.idHashKey, first!.nationalId!));
    expect(JSON.stringify(stored)).not.toContain(first!.nationalId!);
    const clear = await ctx.store.db
      .selectFrom('people')
      .select('id')
      .where(sql<SqlBool>`id_hash is null or length(id_hash) <> 32`)
      .execute();
    expect(clear).toHaveLength(0);
  });

  it('rebuilds the people indexes and reloads the region directory', async () => {
    const names =
      dialect === 'sqlite'
        ? (
            await sql<{
              name: string;
            }>`select name from sqlite_master where type = 'index' and tbl_name = 'people'`.execute(
              ctx.store.db,
            )
          ).rows.map((r) => r.name)
        : (
            await sql<{
              name: string;
            }>`select indexname as name from pg_indexes where tablename = 'people' and schemaname = current_schema()`.execute(
              ctx.store.db,
            )
          ).rows.map((r) => r.name);
    for (const index of PEOPLE_INDEXES) {
      if (!index.only || index.only === dialect) expect(names).toContain(index.name);
    }
    expect(ctx.regions.districts()).toHaveLength(16);
    expect(ctx.regions.city()?.population).toBe(summary.people);
  });

  it('gives the connection back with its own settings after the load and the index build', () => {
    const db = ctx.store.sqlite;
    if (!db) return;
    // The build switches to spill files, a small cache, sorter threads and mmap; the server's
    // queries after a seed must run with the store's settings again (store/database.ts).
    const setting = (name: string) => db.pragma(name, { simple: true });
    expect(setting('synchronous')).toBe(2);
    expect(setting('temp_store')).toBe(2);
    expect(setting('cache_size')).toBe(-262144);
    expect(setting('threads')).toBe(0);
    expect(setting('mmap_size')).toBe(0);
    expect(setting('wal_autocheckpoint')).toBe(16384);
  });

  it.runIf(dialect === 'sqlite')(
    'leaves the planner statistics that make a building or household look-up use its own index',
    () => {
      const db = ctx.store.sqlite!;
      const plan = (where: string) =>
        db
          .prepare(`explain query plan select id from people where district_id = 1 and ${where}`)
          .all()
          .map((r) => (r as { detail: string }).detail)
          .join('; ');
      // Without statistics SQLite reads the whole district through (district_id, id).
      expect(plan('place_id = 5')).toContain('people_place_idx');
      expect(plan('household_id = 5')).toContain('people_household_idx');
    },
  );

  it('refuses to seed a registry that is not empty', async () => {
    await expect(seedCity(ctx, { scale: SCALE, seed: 7 })).rejects.toMatchObject({ code: 'conflict' });
  });
});
