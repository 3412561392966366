import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { hashNationalId } from '../../src/app/registry/id-hash.ts';
import { peopleIdHashBytesMigration } from '../../src/store/migrations/0080_people_id_hash_bytes.ts';
import { existingIdHashes } from '../../src/store/registry/lookups.ts';
import { FIXTURE, loadFixture } from '../support/fixture.ts';
import { openTestContext, testDialects, type TestContext } from '../support/harness.ts';

const ID = '110101199003070011';

describe.each(testDialects())('people.id_hash as bytes, 0080 (ADR 0009) on %s', (dialect) => {
  let ctx: TestContext;
  let db: Kysely<unknown>;
  beforeAll(async () => {
    ctx = await openTestContext(dialect);
    await loadFixture(ctx);
    db = ctx.store.db as unknown as Kysely<unknown>;
  });
  afterAll(async () => {
    await ctx.close();
  });

  it('converts hex hashes written before it to their 32 bytes, and anything else to null', async () => {
    const hex = hashNationalId(ctx.secrets.idHashKey, ID);
    // Put people back as 0079 left them: hex text in id_hash, the full workplace index.
    if (dialect === 'postgres') {
      await sql`alter table people alter column id_hash type text using encode(id_hash, 'hex')`.execute(db);
    }
    await sql`drop index people_workplace_idx`.execute(db);
    await sql`create index people_workplace_idx on people (workplace_org_id)`.execute(db);
    await sql`update people set id_hash = ${hex} where id = 1`.execute(db);
    await sql`update people set id_hash = ${'not-a-hash'} where id = 2`.execute(db);

    await peopleIdHashBytesMigration(dialect).up(db);

    const rows = await ctx.store.db
      .selectFrom('people')
      .select(['id', 'id_hash'])
      .where('id', 'in', [1, 2])
      .orderBy('id')
      .execute();
    expect(rows[0].id_hash).toEqual(Buffer.from(hex, 'hex'));
    expect(rows[1].id_hash).toBeNull();
    expect(await existingIdHashes(ctx.store.db, [hex, '00'.repeat(32)])).toEqual(new Set([hex]));
  });

  it('finds an organisation’s staff through the partial workplace index', async () => {
    const plan = async (query: string) => {
      if (dialect === 'sqlite') {
        const rows = await sql<{ detail: string }>`explain query plan ${sql.raw(query)}`.execute(db);
        return rows.rows.map((r) => r.detail).join('\n');
      }
      // A fixture-sized table is read whole unless sequential scans are ruled out.
      return ctx.store.db.transaction().execute(async (trx) => {
        await sql`set local enable_seqscan = off`.execute(trx);
        const rows = await sql<{ 'QUERY PLAN': string }>`explain ${sql.raw(query)}`.execute(trx);
        return rows.rows.map((r) => r['QUERY PLAN']).join('\n');
      });
    };
    // The organisation scope (app/access/organisation-links.ts) and overdue duties by employer.
    const org = FIXTURE.workplaceA;
    expect(await plan(`select id from people where workplace_org_id = ${org}`)).toContain(
      'people_workplace_idx',
    );
    expect(
      await plan(`select p.id from people p where p.workplace_org_id = ${org} and p.district_id = 1`),
    ).toContain('people_workplace_idx');
  });
});
