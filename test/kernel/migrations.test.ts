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
