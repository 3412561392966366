import fs from 'node:fs';
import type SqliteDatabase from 'better-sqlite3';
import type { Transaction } from 'kysely';
import type { Store } from './database.ts';
import type { Database } from './schema.ts';

/**
 * One transaction that is durable when the returned promise resolves, without holding the event
 * loop for the disk flush.
 *
 * On SQLite (better-sqlite3 is synchronous) a `synchronous=FULL` commit blocks the whole process
 * for its fsync — ~9 ms on the benchmark machine — so every look-up queued behind an audited
 * request waited for the disk too. Here the commit is made with `synchronous=NORMAL` (in WAL mode
 * the frames are written, not flushed) and the WAL file is then fdatasynced on libuv's thread
 * pool; only after that does the promise resolve. Why this is as durable as a FULL commit: the
 * frames are in the WAL file when commit returns, and fdatasync flushes every dirty page of the
 * file, from any descriptor. If a checkpoint copied them into the database file meanwhile, the checkpoint
 * itself synced the database before the WAL could be reused (SQLite does so in NORMAL and FULL).
 *
 * Only the one connection's safety level changes, and only for this transaction: the pragma is
 * set and restored while the connection is reserved (Kysely's `connection()`), so no other
 * transaction ever commits with NORMAL. Only in WAL mode (NORMAL means something weaker in the
 * rollback-journal modes): otherwise, and for an in-memory database, an ordinary transaction. On
 * PostgreSQL the driver is asynchronous already: an ordinary transaction.
 */
export async function transactionSyncedOffThread<T>(
  store: Store,
  work: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  const sqlite = walDatabase(store);
  if (!sqlite) return store.db.transaction().execute(work);
  const result = await transactionFlushedLater(store, work);
  await syncFile(`${sqlite.name}-wal`);
  return result;
}

/**
 * One transaction committed without a disk flush of its own (SQLite, WAL mode: `synchronous =
 * NORMAL` for this commit only), for work that can be derived again from durable records: the
 * event consumers' effects and offsets (docs/adr/0010-derived-commits.md). It is atomic and
 * visible at once; a process crash loses nothing (the WAL frames are written), a power loss may
 * lose it until the next flushed commit — which flushes it too — and the consumer then replays
 * the events from the outbox. Elsewhere an ordinary transaction.
 */
export async function transactionFlushedLater<T>(
  store: Store,
  work: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  const sqlite = walDatabase(store);
  if (!sqlite) return store.db.transaction().execute(work);
  return store.db.connection().execute(async (conn) => {
    const sync = flushOffThreadAround(sqlite);
    try {
      return await conn.transaction().execute(work);
    } finally {
      sync.restore();
    }
  });
}

/**
 * For a transaction run on a raw better-sqlite3 handle (the scan ingest's hot path, with its own
 * `begin immediate`): call before `begin` (SQLite refuses to change the safety level inside a
 * transaction) and `restore()` after commit or rollback. The commit then returns without a flush
 * on the event loop, and `flush()` makes it durable: the caller releases the connection first,
 * so other statements run while the disk works. Elsewhere than a WAL file, nothing changes.
 */
export function flushOffThreadAround(sqlite: SqliteDatabase.Database): {
  restore(): void;
  flush(): Promise<void>;
} {
  if (sqlite.memory || !inWalMode(sqlite)) {
    return { restore: () => undefined, flush: async () => undefined };
  }
  const pragmas = synchronousPragmas(sqlite);
  const level = Number(pragmas.read.get());
  pragmas.normal.run();
  const wal = `${sqlite.name}-wal`;
  return {
    restore: () => void pragmas.set(level).run(),
    flush: () => syncFile(wal),
  };
}

interface SynchronousPragmas {
  read: SqliteDatabase.Statement;
  normal: SqliteDatabase.Statement;
  set(level: number): SqliteDatabase.Statement;
}

const synchronousStatements = new WeakMap<SqliteDatabase.Database, SynchronousPragmas>();

/**
 * The safety-level pragmas, prepared once per connection: `pragma()` prepares its statement on
 * every call, three times per transaction here.
 */
function synchronousPragmas(sqlite: SqliteDatabase.Database): SynchronousPragmas {
  let pragmas = synchronousStatements.get(sqlite);
  if (!pragmas) {
    const levels = new Map<number, SqliteDatabase.Statement>();
    pragmas = {
      read: sqlite.prepare('pragma synchronous').pluck(),
      normal: sqlite.prepare('pragma synchronous = NORMAL'),
      set(level) {
        let statement = levels.get(level);
        if (!statement) levels.set(level, (statement = sqlite.prepare(`pragma synchronous = ${level}`)));
        return statement;
      },
    };
    synchronousStatements.set(sqlite, pragmas);
  }
  return pragmas;
}

/** The store's SQLite handle when it is a file in WAL mode (where NORMAL is safe to use), else null. */
function walDatabase(store: Store): SqliteDatabase.Database | null {
  const sqlite = store.sqlite;
  return store.dialect === 'sqlite' && sqlite && !sqlite.memory && inWalMode(sqlite) ? sqlite : null;
}

const walMode = new WeakMap<SqliteDatabase.Database, boolean>();

/** Asked once per connection: the store sets WAL when it opens the file and never changes it. */
function inWalMode(sqlite: SqliteDatabase.Database): boolean {
  let wal = walMode.get(sqlite);
  if (wal === undefined) {
    wal = String(sqlite.pragma('journal_mode', { simple: true })).toLowerCase() === 'wal';
    walMode.set(sqlite, wal);
  }
  return wal;
}

/**
 * fdatasync, as SQLite itself syncs its WAL: the data and the size needed to read it back. The
 * file is opened per call — SQLite deletes the WAL when the last connection closes (after a
 * checkpoint that synced the database file: nothing left to flush) — with the callback API,
 * cheaper than FileHandle objects on a path taken per audited request.
 */
function syncFile(file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    fs.open(file, 'r', (error, fd) => {
      if (error) {
        if (error.code === 'ENOENT') resolve();
        else reject(error);
        return;
      }
      fs.fdatasync(fd, (syncError) => {
        fs.close(fd, (closeError) => {
          const failed = syncError ?? closeError;
          if (failed) reject(failed);
          else resolve();
        });
      });
    });
  });
}
