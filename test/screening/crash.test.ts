import crypto from 'node:crypto';
import fs from 'node:fs';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeContext } from '../../src/app/bootstrap.ts';
import { encodePersonCode } from '../../src/app/access/person-code.ts';
import { dropPgSchema } from '../../src/store/database.ts';
import { startServerProcess, type ServerProcess } from '../../bench/ingest/server-process.ts';
import { FIXTURE } from '../support/fixture.ts';
import { openTestContext, testDialects } from '../support/harness.ts';
import { loadScreeningWorld, S } from './support.ts';

/**
 * Kill the real server (SIGKILL) in the middle of ingest, restart it, resend what was not
 * acknowledged: exactly the scans sent are stored, each once, and nothing acknowledged is lost.
 * SQLite with synchronous=FULL: a 200 is only sent after the group's commit is on disk. On
 * PostgreSQL the server's concurrent group writers die with their transactions open.
 */
const PEOPLE = 24_000;
const BATCH = 1000;
const FIRST = 10_000;
const HOUR = 3600_000;

interface Batch {
  body: string;
  clientIds: string[];
  acknowledged: boolean;
}

describe.each(testDialects())('a crash in the middle of ingest (%s, real server process)', (dialect) => {
  let dataDir: string;
  let pgSchema: string | undefined;
  let roundId: number;
  let token: string;
  let codeKey: Buffer;
  let server: ServerProcess | null = null;

  beforeAll(async () => {
    const ctx = await openTestContext(dialect, { now: Date.now() });
    dataDir = ctx.dataDir;
    const headers = await loadScreeningWorld(ctx);
    token = headers.sampler.authorization;
    codeKey = ctx.secrets.codeKey;
    pgSchema = ctx.store.pgSchema;
    const now = Date.now();
    for (let from = 0; from < PEOPLE; from += 1000) {
      await ctx.store.db
        .insertInto('people')
        .values(
          Array.from({ length: Math.min(1000, PEOPLE - from) }, (_, i) => ({
            id: FIRST + from + i,
            district_id: FIXTURE.districtA,
            street_id: FIXTURE.streetA1,
            committee_id: FIXTURE.committeeA1,
            household_id: null,
            place_id: FIXTURE.buildingA2,
            ref: `ref-${FIRST + from + i}`,
            vulnerable: '',
            created_at: now,
          })),
        )
        .execute();
    }
    const round = await ctx.store.db
      .insertInto('screening_rounds')
      .values({
        name: 'crash',
        kind: 'nucleic_acid',
        starts_at: now - HOUR,
        ends_at: now + 24 * HOUR,
        closed_at: null,
        first_round: 1,
        pooling: JSON.stringify(
          (await import('../../src/domain/screening/pooling.ts')).roundPooling(
            'test',
            (await import('../../src/domain/rules/catalogue.ts')).shippedRuleSet('shanghai-2022-05-16')!
              .pooling,
            true,
          ),
        ),
        created_at: now,
        created_by: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    roundId = Number(round.id);
    await closeContext(ctx);
  });
  afterAll(async () => {
    await server?.stop();
    if (pgSchema) await dropPgSchema(process.env.CORDON_TEST_PG_URL!, pgSchema);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** The server process works in the test's own schema on PostgreSQL (libpq `options`). */
  const databaseUrl = () => {
    if (dialect === 'sqlite') return '';
    const url = new URL(process.env.CORDON_TEST_PG_URL!);
    url.searchParams.set('options', `-c search_path=${pgSchema}`);
    return url.toString();
  };
  const env = () => ({
    CORDON_DATA_DIR: dataDir,
    CORDON_SECRET: 'test-secret',
    CORDON_DATABASE_URL: databaseUrl(),
  });

  /** What is stored, read with a connection of the test's own. */
  async function stored(): Promise<{ rows: { client_id: string; person_id: number }[]; drift: number }> {
    const scans = 'select client_id, person_id from scans';
    const drift =
      'select count(*) as n from tubes t where t.filled != (select count(*) from scans s where s.tube_id = t.id)';
    if (dialect === 'sqlite') {
      const db = new SqliteDatabase(`${dataDir}/cordon.db`, { readonly: true });
      try {
        const rows = db.prepare(scans).all() as { client_id: string; person_id: number }[];
        return { rows, drift: Number((db.prepare(drift).get() as { n: number }).n) };
      } finally {
        db.close();
      }
    }
    const client = new pg.Client({ connectionString: databaseUrl() });
    await client.connect();
    try {
      const rows = (await client.query<{ client_id: string; person_id: number }>(scans)).rows;
      return { rows, drift: Number((await client.query<{ n: number }>(drift)).rows[0].n) };
    } finally {
      await client.end();
    }
  }

  async function send(url: string, batch: Batch): Promise<boolean> {
    for (;;) {
      let res: Response;
      try {
        res = await fetch(`${url}/api/v1/scans/batch`, {
          method: 'POST',
          headers: { authorization: token, 'content-type': 'application/json' },
          body: batch.body,
        });
      } catch {
        return false; // connection refused or reset: not acknowledged
      }
      if (res.status === 429) {
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      const json = (await res.json()) as { results: { status: string }[] };
      if (res.status !== 200) throw new Error(`unexpected ${res.status}: ${JSON.stringify(json)}`);
      expect(json.results.every((r) => r.status === 'accepted' || r.status === 'duplicate')).toBe(true);
      batch.acknowledged = true;
      return true;
    }
  }

  it('finds exactly the scans sent, each once, after a SIGKILL and a resend', async () => {
    const expires = Date.now() + 24 * HOUR;
    const batches: Batch[] = [];
    for (let b = 0; b < PEOPLE / BATCH; b++) {
      const scans = Array.from({ length: BATCH }, (_, i) => {
        const person = FIRST + b * BATCH + i;
        return {
          clientId: crypto.randomUUID(),
          personCode: encodePersonCode(codeKey, {
            ref: `ref-${person}`,
            districtId: FIXTURE.districtA,
            expiresAt: expires,
          }),
          tubeCode: `K-${Math.floor((person - FIRST) / 10)}`,
          collectedAt: Date.now(),
          tubeCapacity: 10,
        };
      });
      batches.push({
        body: JSON.stringify({ roundId, siteId: S.siteA, scans }),
        clientIds: scans.map((s) => s.clientId),
        acknowledged: false,
      });
    }

    server = await startServerProcess(env());
    const first = server;
    let acknowledged = 0;
    let killed = false;
    const queue = [...batches];
    const client = async () => {
      for (let batch = queue.shift(); batch; batch = queue.shift()) {
        if (await send(first.url, batch)) acknowledged++;
        // Kill once a few batches are in and more are in flight.
        if (acknowledged >= 4 && !killed) {
          killed = true;
          first.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 6 }, client));
    await first.exited;
    expect(killed).toBe(true);
    const acknowledgedBefore = batches.filter((b) => b.acknowledged).length;
    expect(acknowledgedBefore).toBeGreaterThanOrEqual(4);
    expect(acknowledgedBefore).toBeLessThan(batches.length);

    // Everything acknowledged before the crash is on disk.
    const before = new Set((await stored()).rows.map((r) => r.client_id));
    for (const b of batches.filter((x) => x.acknowledged)) {
      for (const id of b.clientIds) expect(before.has(id)).toBe(true);
    }

    server = await startServerProcess(env());
    for (const b of batches.filter((x) => !x.acknowledged)) expect(await send(server.url, b)).toBe(true);
    await server.stop();
    server = null;

    const { rows, drift } = await stored();
    const sent = batches.flatMap((b) => b.clientIds);
    expect(rows).toHaveLength(sent.length);
    expect(new Set(rows.map((r) => r.client_id))).toEqual(new Set(sent));
    expect(new Set(rows.map((r) => Number(r.person_id))).size).toBe(PEOPLE);
    expect(drift).toBe(0);
  });
});
