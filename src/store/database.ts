import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  Kysely,
  PostgresDialect,
  SqliteDialect,
  sql,
  type Driver,
  type SqliteDatabase as KyselySqliteDatabase,
} from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

export type DialectName = 'sqlite' | 'postgres';

/**
 * The one seam between Cordon and its database. Everything dialect-specific (pragmas, type
 * parsers, bulk loading, locking) lives in store/; the rest of the code sees `store.db`.
 */
export interface Store {
  db: Kysely<Database>;
  dialect: DialectName;
  /** The raw better-sqlite3 handle, for bulk paths that must bypass the query builder. */
  sqlite?: SqliteDatabase.Database;
  pgPool?: pg.Pool;
  /** The PostgreSQL schema the store works in, when not the default. */
  pgSchema?: string;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** Folder for the embedded database (`cordon.db`); ignored when `databaseUrl` is set. */
  dataDir?: string;
  /** `:memory:` or a file path, overriding dataDir (tests). */
  sqliteFile?: string;
  databaseUrl?: string;
  /** PostgreSQL schema to work in (each test file gets its own). */
  pgSchema?: string;
  pgPoolSize?: number;
}

// int8 and numeric come back from pg as strings by default; every id and timestamp here is an
// integer below 2^53, so numbers are exact.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
pg.types.setTypeParser(1700, (v) => Number.parseFloat(v));

export async function openStore(options: OpenStoreOptions): Promise<Store> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options);
  return openSqlite(options);
}

function openSqlite(options: OpenStoreOptions): Store {
  let file = options.sqliteFile;
  if (!file) {
    const dataDir = options.dataDir ?? './data';
    fs.mkdirSync(dataDir, { recursive: true });
    file = path.join(dataDir, 'cordon.db');
  }
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  // FULL: a transaction is on disk when commit returns, so an acknowledged write survives a crash.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 10000');
  sqlite.pragma('cache_size = -262144');
  sqlite.pragma('temp_store = MEMORY');
  // Checkpoint every 64 MB of WAL, not SQLite's 4 MB: a page rewritten by many commits is copied
  // into the database once per checkpoint. The peak day's transfers at scale 1 wrote 4.0 GB and
  // took 17.1 s with 4 MB, 2.7 GB and 13.1 s with 64 MB (bench transfer); 256 MB gave only 12.3 s
  // for checkpoints four times as long inside some request's commit.
  sqlite.pragma('wal_autocheckpoint = 16384');
  const db = new Kysely<Database>({
    dialect: new CommitCountingSqliteDialect({ database: withStatementCache(sqlite) }),
  });
  return {
    db,
    dialect: 'sqlite',
    sqlite,
    async close() {
      await db.destroy();
    },
  };
}

let sqliteCommits = 0;

/**
 * How many transactions this process has committed through any store's `db` on SQLite. Every
 * event is written inside such a transaction (store/outbox.ts), so a reader that saw this number
 * unchanged since its last look knows this process committed no event meanwhile — without asking
 * the database (status/inputs-cache.ts asks the database once per event-loop turn for the
 * commits of other processes and threads, which this count cannot see).
 */
export function sqliteCommitsInProcess(): number {
  return sqliteCommits;
}

class CommitCountingSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    const driver = super.createDriver();
    const commit = driver.commitTransaction.bind(driver);
    driver.commitTransaction = async (connection) => {
      await commit(connection);
      sqliteCommits++;
    };
    return driver;
  }
}

/**
 * Gives the query planner row statistics. Without them SQLite takes the first index with an
 * equality match, e.g. people's (district_id, id) for "the residents of building B in district
 * D", and scans a whole district where the building index reads a few hundred rows (tracing's
 * neighbour look-up went from ~31 ms to well under 1 ms a case). `analysis_limit` samples each
 * index instead of reading it all (~0.1 s at scale 0.1). `after: 'bulk-load'` re-analyses
 * everything; otherwise SQLite's `optimize` analyses only the tables that need it. PostgreSQL's
 * autovacuum keeps its own statistics; after a bulk load it is asked at once.
 */
export async function refreshPlannerStatistics(store: Store, after?: 'bulk-load'): Promise<void> {
  if (store.sqlite) {
    store.sqlite.pragma('analysis_limit = 1000');
    if (after === 'bulk-load') store.sqlite.exec('ANALYZE');
    else store.sqlite.pragma('optimize = 0x10002');
  } else if (after === 'bulk-load') {
    await sql`analyze`.execute(store.db);
  }
}

/**
 * Kysely prepares every query afresh; on hot paths preparing was ~15 % of CPU. Statements are
 * reused by their SQL text. Safe because Kysely runs one query at a time on the connection.
 * Kysely uses only `prepare` and `close` of the database it is given: a plain object with those
 * two, not a Proxy over the handle, whose trap (and a bound function per access) ran on every
 * query.
 */
function withStatementCache(sqlite: SqliteDatabase.Database, limit = 2000): KyselySqliteDatabase {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    prepare(source: string) {
      let statement = cache.get(source);
      if (!statement) {
        statement = sqlite.prepare(source);
        if (cache.size >= limit) cache.delete(cache.keys().next().value as string);
        cache.set(source, statement);
      }
      return statement;
    },
    close() {
      sqlite.close();
    },
  };
}

async function openPostgres(url: string, options: OpenStoreOptions): Promise<Store> {
  const schema = options.pgSchema;
  if (schema) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`create schema if not exists "${schema}"`);
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.pgPoolSize ?? 10,
    ...(schema ? { options: `-c search_path="${schema}"` } : {}),
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  await sql`select 1`.execute(db);
  return {
    db,
    dialect: 'postgres',
    pgPool: pool,
    pgSchema: schema,
    async close() {
      await db.destroy();
    },
  };
}

/** Drops a test schema and everything in it. */
export async function dropPgSchema(url: string, schema: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await admin.end();
  }
}
