import { Kysely, PostgresDialect, SqliteDialect, sql, type CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markEnded } from '../../src/app/kernel/repositories/control-episodes-repo.ts';
import { closeOrders, markOverdue } from '../../src/app/kernel/repositories/test-orders-repo.ts';
import type { Database } from '../../src/store/schema.ts';
import { boxTubes } from '../../src/store/screening/boxes-repo.ts';
import { writeResults } from '../../src/store/screening/results-repo.ts';
import { FOUND_BY_ID } from '../../src/store/migrations/0093_by_id_indexes.ts';
import { openTestContext, testDialects, type TestContext } from '../support/harness.ts';

/**
 * Updates of rows found by id carry guards (a tube's state, the district of the row key). With
 * statistics like those a simulated April left — sampled with `analysis_limit`, ~1,000 rows
 * behind every leading value — SQLite answered such a guard from an index and walked every
 * closed tube for each box, or every order of a district for each batch of orders closed. Each
 * update here must find its rows by id. PostgreSQL, below, did the same with statistics taken
 * before a state existed.
 */
describe('updates by id on sqlite', () => {
  let ctx: TestContext;
  let recording: Kysely<Database>;
  const executed: CompiledQuery[] = [];
  const ids = Array.from({ length: 300 }, (_, i) => i + 1);

  beforeAll(async () => {
    ctx = await openTestContext('sqlite');
    const sqlite = ctx.store.sqlite!;
    sqlite.exec('ANALYZE');
    sqlite.exec("DELETE FROM sqlite_stat1 WHERE tbl IN ('tubes', 'test_orders', 'control_episodes')");
    const stat = sqlite.prepare('INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)');
    // From the database of `cordon simulate --scale 0.01 --days 90` (24 Nov 2026).
    for (const [tbl, idx, value] of [
      ['tubes', 'tubes_state_idx', '1017909 1001 1001'],
      ['tubes', 'tubes_box_idx', '1017909 72'],
      ['tubes', 'tubes_barcode_idx', '1017909 1 1'],
      ['test_orders', 'test_orders_identity_idx', '295212 1001 2 2 2 2 1'],
      ['test_orders', 'test_orders_status_due_at_idx', '295212 1001 37'],
      ['test_orders', 'test_orders_person_id_status_idx', '295212 4 2'],
      ['control_episodes', 'control_episodes_identity_idx', '316676 1001 2 2 2 1'],
      ['control_episodes', 'control_episodes_person_id_from_at_idx', '316676 5 1'],
    ]) {
      stat.run(tbl, idx, value);
    }
    sqlite.exec('ANALYZE sqlite_schema');
    recording = new Kysely<Database>({
      dialect: new SqliteDialect({ database: sqlite }),
      log: (event) => void executed.push(event.query),
    });
  });
  afterAll(async () => {
    await ctx.close();
  });

  async function plansOf(work: () => Promise<void>): Promise<string[]> {
    executed.length = 0;
    await work();
    expect(executed.length).toBeGreaterThan(0);
    return executed.map((q) =>
      (
        ctx.store.sqlite!.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...(q.parameters as unknown[])) as {
          detail: string;
        }[]
      )
        .map((r) => r.detail)
        .join('\n'),
    );
  }

  it.each([
    ['boxing tubes', () => boxTubes(recording, 1, ids, 1)],
    [
      'stamping results',
      () =>
        writeResults(
          recording,
          ids.map((tubeId) => ({ tubeId, outcome: 'negative', ctOrf1ab: null, ctN: null })),
          1,
        ),
    ],
    [
      'fulfilling test orders',
      () => closeOrders(recording, 1, ids, { status: 'fulfilled', fulfilledAt: 1, fulfilledBy: 'x' }),
    ],
    ['cancelling test orders', () => closeOrders(recording, 1, ids, { status: 'cancelled', reason: 'x' })],
    ['marking orders overdue', () => markOverdue(recording, 1, ids, 1)],
    ['ending control episodes', () => markEnded(recording, 1, ids, 1, 'x')],
  ])('%s finds the rows by id', async (_label, work) => {
    for (const plan of await plansOf(work)) {
      expect(plan).toContain('INTEGER PRIMARY KEY');
      expect(plan).not.toMatch(/USING (COVERING )?INDEX/);
    }
  });
});

describe.runIf(testDialects().includes('postgres'))('updates by id on postgres', () => {
  let ctx: TestContext;
  let recording: Kysely<Database>;
  const executed: CompiledQuery[] = [];

  beforeAll(async () => {
    ctx = await openTestContext('postgres');
    // Statistics taken while every tube was closed, then the tubes received: the state a lab's
    // results look for is absent from the statistics, so it looks rare.
    await sql`insert into tubes (district_id, street_id, round_id, barcode, site_id, purpose, capacity, filled, state)
      select 1, 1, 1, 'T' || g, 1, 'pooled', 10, 10, 'closed' from generate_series(1, 30000) g`.execute(
      ctx.store.db,
    );
    await sql`analyze tubes`.execute(ctx.store.db);
    await sql`update tubes set state = 'received'`.execute(ctx.store.db);
    recording = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: ctx.store.pgPool! }),
      log: (event) => void executed.push(event.query),
    });
  });
  afterAll(async () => {
    await ctx.close();
  });

  it.each(['people', 'tubes', 'cases', 'transfer_orders', ...FOUND_BY_ID])(
    'finds %s by id alone through an index on the id, not by reading the district-led key',
    async (table) => {
      const client = await ctx.store.pgPool!.connect();
      try {
        await client.query('begin; set local enable_seqscan = off');
        const plan = await client.query(`explain select * from "${table}" where id = 42`);
        const text = plan.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
        expect(text).toMatch(/Index Cond: \(id = 42\)/);
        // The district-led key takes the same condition, but only by reading all of itself.
        expect(text).not.toContain('_pkey');
      } finally {
        await client.query('rollback');
        client.release();
      }
    },
  );

  it.each([
    ['one positive tube', [5]],
    ['a lab batch of 300 tubes', Array.from({ length: 300 }, (_, i) => i + 10)],
  ])('stamps the results of %s through the id index, not the state index', async (_label, tubeIds) => {
    executed.length = 0;
    await writeResults(
      recording,
      tubeIds.map((tubeId) => ({ tubeId, outcome: 'negative', ctOrf1ab: null, ctN: null })),
      1,
    );
    expect(executed).toHaveLength(1);
    const plan = await ctx.store.pgPool!.query(
      `explain ${executed[0].sql}`,
      executed[0].parameters as unknown[],
    );
    const text = plan.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
    expect(text).toContain('tubes_by_id_idx');
    expect(text).not.toContain('tubes_state');
  });
});
