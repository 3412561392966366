import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  audit,
  getAuditWriter,
  systemActor,
  verifyAuditLog,
  type AuditEntry,
} from '../../src/app/access/audit.ts';
import { createContext, closeContext } from '../../src/app/bootstrap.ts';
import type { AppContext } from '../../src/app/context.ts';
import { GENESIS_HASH } from '../../src/domain/access/audit-chain.ts';
import { openStore } from '../../src/store/database.ts';
import { openTestContext, testDialects, type TestContext } from '../support/harness.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');

const entry = (i: number): AuditEntry => ({
  actor: { userId: 1, username: 'tracer', role: 'tracer' },
  action: 'person.read',
  subjectType: 'person',
  subjectIds: [i],
  fields: ['name', 'phone'],
  reason: i % 2 ? 'case interview' : null,
  requestId: `req-${i}`,
  details: { i },
});

/** A second context on the same database, as a second process would have. */
async function secondContext(ctx: TestContext): Promise<AppContext> {
  const schema =
    ctx.store.dialect === 'postgres'
      ? (await sql<{ s: string }>`select current_schema() as s`.execute(ctx.store.db)).rows[0].s
      : undefined;
  const store = await openStore({
    dataDir: ctx.dataDir,
    databaseUrl: ctx.config.databaseUrl,
    pgSchema: schema,
    pgPoolSize: 2,
  });
  return createContext({ config: ctx.config, store, clock: ctx.clock, secrets: ctx.secrets, migrate: false });
}

describe.each(testDialects())('audit log on %s', (dialect) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await openTestContext(dialect);
  });
  afterAll(async () => {
    await ctx?.close();
  });
  beforeEach(async () => {
    await ctx.store.db.deleteFrom('audit_log').execute();
    await ctx.store.db.updateTable('audit_head').set({ seq: 0, hash: GENESIS_HASH }).execute();
  });

  const readLastHash = async () =>
    (await ctx.store.db.selectFrom('audit_log').select('hash').orderBy('seq', 'desc').executeTakeFirst())
      ?.hash;
  const recordMany = (n: number, from = 1) =>
    Promise.all(Array.from({ length: n }, (_, k) => audit(ctx, entry(from + k))));

  it('group-commits concurrent records into one linear chain', async () => {
    await recordMany(300);
    const rows = await ctx.store.db
      .selectFrom('audit_log')
      .select(['seq', 'request_id'])
      .orderBy('seq')
      .execute();
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 300 }, (_, k) => k + 1));
    expect(new Set(rows.map((r) => r.request_id)).size).toBe(300);
    expect(await verifyAuditLog(ctx, 7)).toMatchObject({ ok: true, records: 300, head: { seq: 300 } });
  });

  it('writes a lone record at once when idle: no batching timer to wait for', async () => {
    // With timers frozen, a writer that waited for one before writing would never answer.
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval'] });
    try {
      await audit(ctx, entry(1));
      const rows = await ctx.store.db.selectFrom('audit_log').select(['seq', 'request_id']).execute();
      expect(rows).toEqual([{ seq: 1, request_id: 'req-1' }]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('answers each record only once it is written; records made while a batch is written go next', async () => {
    const committed = async (i: number) =>
      (await ctx.store.db
        .selectFrom('audit_log')
        .select('seq')
        .where('request_id', '=', `req-${i}`)
        .executeTakeFirst()) !== undefined;
    const seen: boolean[] = [];
    const first = audit(ctx, entry(1)).then(async () => seen.push(await committed(1)));
    // The first batch is on its way; these arrive while it is written.
    await new Promise((resolve) => setImmediate(resolve));
    const later = Array.from({ length: 50 }, (_, k) =>
      audit(ctx, entry(2 + k)).then(async () => seen.push(await committed(2 + k))),
    );
    await Promise.all([first, ...later]);
    expect(seen).toEqual(Array.from({ length: 51 }, () => true));
    expect(await verifyAuditLog(ctx)).toMatchObject({ ok: true, records: 51 });
  });

  it.runIf(dialect === 'sqlite')(
    'keeps the connection at synchronous=FULL for every other transaction, even after a failed write',
    async () => {
      const level = () => Number(ctx.store.sqlite!.pragma('synchronous', { simple: true }));
      expect(level()).toBe(2);
      await recordMany(3);
      expect(level()).toBe(2);
      await ctx.store.db.deleteFrom('audit_head').execute();
      try {
        await expect(audit(ctx, entry(9))).rejects.toThrow(/audit head/);
        expect(level()).toBe(2);
      } finally {
        await ctx.store.db
          .insertInto('audit_head')
          .values({ id: 1, seq: 3, hash: (await readLastHash()) ?? GENESIS_HASH, updated_at: 0 })
          .execute();
      }
    },
  );

  it('keeps one chain when two processes append at once (the head is locked)', async () => {
    const other = await secondContext(ctx);
    try {
      await Promise.all([
        recordMany(100, 1),
        Promise.all(Array.from({ length: 100 }, (_, k) => audit(other, entry(1000 + k)))),
      ]);
      expect(await verifyAuditLog(ctx)).toMatchObject({ ok: true, records: 200 });
    } finally {
      await getAuditWriter(other).drain();
      await closeContext(other);
    }
  });

  it('fails verification after a record is edited', async () => {
    await recordMany(5);
    await ctx.store.db
      .updateTable('audit_log')
      .set({ reason: 'nothing to see' })
      .where('seq', '=', 3)
      .execute();
    expect(await verifyAuditLog(ctx)).toMatchObject({
      ok: false,
      problem: { kind: 'hash_mismatch', seq: 3 },
    });
  });

  it('fails verification after a record is deleted', async () => {
    await recordMany(5);
    await ctx.store.db.deleteFrom('audit_log').where('seq', '=', 2).execute();
    expect(await verifyAuditLog(ctx)).toMatchObject({ ok: false, problem: { kind: 'missing', seq: 2 } });
  });

  it('fails verification after the newest record is removed (the head remembers it)', async () => {
    await recordMany(5);
    await ctx.store.db.deleteFrom('audit_log').where('seq', '=', 5).execute();
    const verdict = await verifyAuditLog(ctx);
    expect(verdict).toMatchObject({ ok: false, problem: { kind: 'missing', seq: 5 } });
  });

  it('fails verification when a record is slipped in past the head', async () => {
    await recordMany(2);
    const last = await ctx.store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '=', 2)
      .executeTakeFirstOrThrow();
    await ctx.store.db
      .insertInto('audit_log')
      .values({ ...last, seq: 3, prev_hash: last.hash })
      .execute();
    expect(await verifyAuditLog(ctx)).toMatchObject({ ok: false, problem: { seq: 3 } });
  });

  it('refuses to write when the head row is gone rather than start a new chain', async () => {
    await recordMany(1);
    await ctx.store.db.deleteFrom('audit_head').execute();
    try {
      await expect(audit(ctx, { ...entry(9), actor: systemActor('test') })).rejects.toThrow(/audit head/);
      expect(await verifyAuditLog(ctx)).toMatchObject({ ok: false, problem: { kind: 'head_mismatch' } });
    } finally {
      await ctx.store.db
        .insertInto('audit_head')
        .values({ id: 1, seq: 0, hash: GENESIS_HASH, updated_at: 0 })
        .execute();
    }
  });

  it.runIf(dialect === 'sqlite')(
    '`cordon audit verify` exits non-zero and names the bad record',
    async () => {
      await recordMany(4);
      const env = { ...process.env, CORDON_DATA_DIR: ctx.dataDir, CORDON_DATABASE_URL: '' };
      const cli = (...args: string[]) =>
        run(process.execPath, [path.join(ROOT, 'bin/cordon.js'), ...args], { env, cwd: ROOT });

      const ok = await cli('audit', 'verify');
      expect(ok.stdout).toContain('audit log ok: 4 records');
      const head = JSON.parse((await cli('audit', 'head')).stdout.trim()) as { seq: number; hash: string };
      expect(head.seq).toBe(4);

      await ctx.store.db.updateTable('audit_log').set({ subject_ids: '[99]' }).where('seq', '=', 3).execute();
      const failed = await cli('audit', 'verify').then(
        () => null,
        (error: { code: number; stderr: string }) => error,
      );
      expect(failed?.code).toBe(1);
      expect(failed?.stderr).toContain('FAILED at seq 3');
    },
  );
});
