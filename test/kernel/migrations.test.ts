import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { loadFixture, FIXTURE } from '../support/fixture.ts';
import { openTestContext, testDialects, type TestContext } from '../support/harness.ts';

describe.each(testDialects())('migrations on %s', (dialect) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await openTestContext(dialect);
  });
  afterAll(async () => {
    await ctx.close();
  });

  it('apply from empty and a second run applies nothing', async () => {
    expect(await migrateToLatest(ctx.store)).toEqual([]);
    const tables =
      dialect === 'sqlite'
        ? await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(
            ctx.store.db,
          )
        : await sql<{
            name: string;
          }>`select table_name as name from information_schema.tables where table_schema = current_schema()`.execute(
            ctx.store.db,
          );
    const names = tables.rows.map((r) => r.name);
    for (const table of [
      'regions',
      'people',
      'events',
      'control_episodes',
      'test_orders',
      'alerts',
      'audit_log',
    ]) {
      expect(names).toContain(table);
    }
  });

  it.runIf(dialect === 'postgres')(
    'keys every district-keyed table by (district_id, …), each listed for distribution in ADR 0003',
    async () => {
      const keyed = await sql<{ name: string }>`
        select c.relname as name from pg_constraint k
        join pg_class c on c.oid = k.conrelid
        join pg_attribute a on a.attrelid = c.oid and a.attnum = k.conkey[1]
        where k.contype = 'p' and c.relnamespace = current_schema()::regnamespace
          and a.attname = 'district_id'`.execute(ctx.store.db);
      const adr = fs.readFileSync(
        new URL('../../docs/adr/0003-distribution-by-district.md', import.meta.url),
        'utf8',
      );
      const block = adr.slice(
        adr.indexOf("create_distributed_table('places'"),
        adr.indexOf('```\n', adr.indexOf('create_distributed_table')),
      );
      const listed = ['places', ...[...block.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]!)].filter(
        (name) => name !== 'district_id',
      );
      expect(new Set(listed)).toEqual(new Set(keyed.rows.map((r) => r.name)));
    },
  );

  it('holds the fixture city and its region tree', async () => {
    await loadFixture(ctx);
    expect(ctx.regions.ancestry(FIXTURE.committeeA1)).toEqual([
      FIXTURE.committeeA1,
      FIXTURE.streetA1,
      FIXTURE.districtA,
      FIXTURE.city,
    ]);
    const people = await ctx.store.db
      .selectFrom('people')
      .select('id')
      .where('district_id', '=', FIXTURE.districtA)
      .execute();
    expect(people).toHaveLength(3);
  });
});
