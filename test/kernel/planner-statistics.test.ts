import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/app/server-runtime.ts';
import { openTestContext, type TestContext } from '../support/harness.ts';

/**
 * SQLite plans by the statistics it had when it last analysed a table; tables that grow from
 * nothing while the server runs would keep plans made for empty tables. The server refreshes
 * them as it runs. SQLite only: PostgreSQL's autovacuum keeps its own statistics.
 */
describe('planner statistics on a running server (SQLite)', () => {
  let ctx: TestContext;
  let server: RunningServer;

  beforeAll(async () => {
    ctx = await openTestContext('sqlite');
    server = await startServer(ctx, { host: '127.0.0.1', port: 0, logger: false, statisticsMs: 50 });
  });
  afterAll(async () => {
    await server.stop();
    await ctx.close();
  });

  it("finds a person's zone episodes by person once the table has grown", async () => {
    const db = ctx.store.sqlite!;
    const insert = db.prepare(
      `insert into control_episodes (district_id, person_id, kind, from_at, until_at, source_type, source_id, created_at)
       values (1, ?, 'sealed_residence', 0, null, 'zone', ?, 0)`,
    );
    db.transaction(() => {
      for (let i = 0; i < 40_000; i++) insert.run(i, `designation:${i % 500}`);
    })();
    const plan = () =>
      db
        .prepare(
          `explain query plan select id from control_episodes
            where person_id in (1, 2, 3) and source_type = 'zone' and ended_reason is null`,
        )
        .all()
        .map((r) => (r as { detail: string }).detail)
        .join('; ');
    // Every episode is a zone episode: the source index reads all 40,000 rows, the person index three.
    await expect
      .poll(plan, { timeout: 5000, interval: 50 })
      .toContain('control_episodes_person_id_from_at_idx');
  });
});
