/**
 * Bulk loading for the registry (seed, import): the fastest path each database offers, behind
 * one interface. SQLite: better-sqlite3 prepared statements, one transaction per batch, run
 * synchronously on the raw handle (the query builder costs more than the insert). PostgreSQL:
 * COPY FROM STDIN in text format, one COPY per table per batch, on one pooled connection.
 */
import { sql, type Kysely } from 'kysely';
import type pg from 'pg';
import { refreshPlannerStatistics, type Store } from './database.ts';
import { copyRows } from './pg-copy.ts';
import { createPeopleIndexes, PEOPLE_INDEXES } from './registry/people-indexes.ts';
import { BULK_COLUMNS, HEX_BYTES_COLUMNS, type BulkTable, type Row, type RowBatch } from './registry/rows.ts';

export interface BulkWriter {
  /** Writes the batch: on SQLite in one transaction, on PostgreSQL one COPY per table. */
  write(batch: RowBatch): Promise<void>;
  readonly written: Record<BulkTable, number>;
  close(): Promise<void>;
}

export async function openBulkWriter(store: Store): Promise<BulkWriter> {
  return store.dialect === 'sqlite' ? sqliteWriter(store) : postgresWriter(store);
}

function emptyCounts(): Record<BulkTable, number> {
  return Object.fromEntries(Object.keys(BULK_COLUMNS).map((t) => [t, 0])) as Record<BulkTable, number>;
}

function isHexBytes(table: BulkTable, column: string): boolean {
  return HEX_BYTES_COLUMNS[table]?.includes(column) ?? false;
}

function insertSql(table: BulkTable): string {
  const columns = BULK_COLUMNS[table];
  const values = columns.map((c) => (isHexBytes(table, c) ? 'unhex(?)' : '?'));
  return `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values (${values.join(', ')})`;
}

function sqliteWriter(store: Store): BulkWriter {
  const db = store.sqlite;
  if (!db) throw new Error('SQLite store without its raw handle');
  const statements = new Map(
    (Object.keys(BULK_COLUMNS) as BulkTable[]).map((t) => [t, db.prepare(insertSql(t))]),
  );
  const written = emptyCounts();
  const writeAll = db.transaction((batch: RowBatch) => {
    for (const [table, rows] of Object.entries(batch) as [BulkTable, Row[]][]) {
      const statement = statements.get(table)!;
      for (const row of rows) statement.run(row);
      written[table] += rows.length;
    }
  });
  return {
    written,
    async write(batch) {
      writeAll(batch);
    },
    async close() {},
  };
}

async function postgresWriter(store: Store): Promise<BulkWriter & { client: pg.PoolClient }> {
  if (!store.pgPool) throw new Error('PostgreSQL store without its pool');
  const client: pg.PoolClient = await store.pgPool.connect();
  const written = emptyCounts();
  return {
    client,
    written,
    async write(batch) {
      for (const [table, rows] of Object.entries(batch) as [BulkTable, Row[]][]) {
        if (rows.length === 0) continue;
        const hex = BULK_COLUMNS[table].map((c) => isHexBytes(table, c));
        await copyRows(client, table, BULK_COLUMNS[table], rows, hex);
        written[table] += rows.length;
      }
    },
    async close() {
      client.release();
    },
  };
}

/**
 * A bulk writer whose writes commit together or not at all (CSV import). Ids for new rows come
 * from `nextId`, read inside the same transaction while the table is locked against other
 * writers, so two imports cannot hand out the same ids.
 */
export interface AtomicBulkWriter extends BulkWriter {
  nextId(table: 'regions' | 'places' | 'households' | 'people'): Promise<number>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

export async function openAtomicBulkWriter(store: Store): Promise<AtomicBulkWriter> {
  if (store.dialect === 'sqlite') {
    const db = store.sqlite!;
    const inner = sqliteWriter(store);
    // `begin immediate` takes the write lock now; the writer's own transactions nest as savepoints.
    db.exec('begin immediate');
    return {
      ...inner,
      async nextId(table) {
        return (
          db.prepare(`select coalesce(max(id), 0) + 1 as next from "${table}"`).get() as { next: number }
        ).next;
      },
      async commit() {
        db.exec('commit');
      },
      async rollback() {
        if (db.inTransaction) db.exec('rollback');
      },
    };
  }
  const inner = await postgresWriter(store);
  const client = inner.client;
  await client.query('begin');
  return {
    ...inner,
    async nextId(table) {
      await client.query(`lock table "${table}" in exclusive mode`);
      const result = await client.query<{ next: number }>(
        `select coalesce(max(id), 0) + 1 as next from "${table}"`,
      );
      return Number(result.rows[0].next);
    },
    async commit() {
      await client.query('commit');
      await inner.close();
    },
    async rollback() {
      await client.query('rollback').catch(() => undefined);
      await inner.close();
    },
  };
}

/**
 * Runs `work` with an atomic writer and commits, or rolls back if it throws. On SQLite it holds
 * Kysely's connection for the duration, so no other query of this process can interleave with
 * the raw transaction on the shared handle.
 */
export async function atomicBulkWrite<T>(
  store: Store,
  work: (writer: AtomicBulkWriter) => Promise<T>,
): Promise<T> {
  const run = async () => {
    const writer = await openAtomicBulkWriter(store);
    try {
      const result = await work(writer);
      await writer.commit();
      return result;
    } catch (error) {
      await writer.rollback();
      throw error;
    }
  };
  return store.dialect === 'sqlite' ? store.db.connection().execute(run) : run();
}

/**
 * Drops people's secondary indexes so a bulk load appends to the table alone; building each
 * index once afterwards (a sort) is several times cheaper than maintaining it row by row.
 */
export async function dropPeopleIndexes(store: Store): Promise<void> {
  for (const index of PEOPLE_INDEXES) await sql.raw(`drop index if exists "${index.name}"`).execute(store.db);
}

export async function recreatePeopleIndexes(store: Store): Promise<void> {
  const db = store.sqlite;
  if (!db) {
    await createPeopleIndexes(store.db as unknown as Kysely<unknown>, store.dialect);
  } else {
    await withIndexBuildSettings(db, () =>
      createPeopleIndexes(store.db as unknown as Kysely<unknown>, store.dialect),
    );
  }
  await refreshPlannerStatistics(store, 'bulk-load');
}

/**
 * Settings for building indexes over a big SQLite table, restored afterwards. SQLite's sorter
 * hands runs to helper threads only when its spill files may live on disk (`temp_store = MEMORY`
 * silently turns `threads` off) and the keys exceed its memory budget (`cache_size`): with a
 * 16 MB budget the main thread keeps scanning the table while two helpers sort and merge, and
 * the scan reads through mmap instead of copying pages into the cache. Measured at scale 0.1:
 * the main thread's CPU for the 7 people indexes fell from ~11.5 s to ~4.7 s (ADR 0008).
 */
const INDEX_BUILD_PRAGMAS = {
  threads: '2',
  temp_store: 'FILE',
  cache_size: '-16384',
  mmap_size: String(1 << 30),
};

async function withIndexBuildSettings<T>(
  db: NonNullable<Store['sqlite']>,
  build: () => Promise<T>,
): Promise<T> {
  const saved = Object.keys(INDEX_BUILD_PRAGMAS).map(
    (name) => [name, String(db.pragma(name, { simple: true }))] as const,
  );
  for (const [name, value] of Object.entries(INDEX_BUILD_PRAGMAS)) db.pragma(`${name} = ${value}`);
  try {
    return await build();
  } finally {
    for (const [name, value] of saved) db.pragma(`${name} = ${value}`);
  }
}

/**
 * Settings for the duration of a bulk load on SQLite: commits without waiting for the disk and
 * a WAL that checkpoints less often. WAL mode stays (a crash cannot corrupt the file); a crash
 * mid-load loses only the load, which is restarted from an empty registry. Restores the
 * durable settings and checkpoints before returning.
 */
export async function withBulkLoadSettings<T>(store: Store, work: () => Promise<T>): Promise<T> {
  const db = store.sqlite;
  if (!db) return work();
  const synchronous = db.pragma('synchronous', { simple: true });
  const autocheckpoint = db.pragma('wal_autocheckpoint', { simple: true });
  db.pragma('synchronous = OFF');
  db.pragma('wal_autocheckpoint = 100000');
  try {
    return await work();
  } finally {
    db.pragma(`synchronous = ${Number(synchronous)}`);
    db.pragma(`wal_autocheckpoint = ${Number(autocheckpoint)}`);
    db.pragma('wal_checkpoint(TRUNCATE)');
  }
}
