import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { closeContext, createContext } from '../../src/app/bootstrap.ts';
import type { AppContext } from '../../src/app/context.ts';
import { seedCity } from '../../src/app/registry/seed.ts';
import { secretsFromMaster } from '../../src/app/secrets.ts';
import type { CordonConfig } from '../../src/config/config.ts';
import type { Clock } from '../../src/domain/time/clock.ts';
import { dropPeopleIndexes, recreatePeopleIndexes } from '../../src/store/bulk.ts';
import { dropPgSchema } from '../../src/store/database.ts';
import { BULK_COLUMNS, type BulkTable } from '../../src/store/registry/rows.ts';
import { claimRunSchema } from './pg-run-schema.ts';
import { benchTempDir } from './temp.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Git-ignored (/.cache/ in .gitignore). */
export const DEFAULT_CACHE_DIR = path.join(ROOT, '.cache/bench');
/** Cached cities are seeded with this key, so their id hashes stay valid from run to run. */
const BENCH_SECRET = 'cordon-bench-cache';
/** The sources a seeded city depends on: a change to any of them invalidates the cache. */
const CITY_SOURCES = [
  'src/domain/random.ts',
  'src/domain/registry',
  'src/app/registry/seed-stream.ts',
  'src/store/migrations/0001_foundation.ts',
  // Rewrites every person's id hash: applied to a copied cache on each open, it would cost minutes.
  'src/store/migrations/0080_people_id_hash_bytes.ts',
  'src/store/registry/people-indexes.ts',
  'reference/shanghai_districts.csv',
];

export interface BenchCity {
  ctx: AppContext;
  dataDir: string;
  /** The city came from the cache (false: it was seeded by this run, and cached for the next). */
  fromCache: boolean;
  /** Where the cached city lives: a file (SQLite) or a schema (PostgreSQL). */
  cache: string;
  close(): Promise<void>;
}

export interface BenchCityOptions {
  name: string;
  scale: number;
  seed: number;
  clock?: Clock;
  cacheDir?: string;
  /** PostgreSQL instead of SQLite (default: CORDON_DATABASE_URL; '' forces SQLite). */
  databaseUrl?: string;
}

/**
 * A seeded city for a benchmark, in a fresh temporary data directory (SQLite) or a fresh
 * schema (PostgreSQL), reusing a cached seed per (scale, seed) so repeated runs do not reseed.
 */
export async function openBenchCity(options: BenchCityOptions): Promise<BenchCity> {
  const databaseUrl = (options.databaseUrl ?? process.env.CORDON_DATABASE_URL) || undefined;
  const dataDir = benchTempDir(options.name);
  const cacheDir = options.cacheDir ?? DEFAULT_CACHE_DIR;
  const key = `s${String(options.scale).replace('.', '_')}-seed${options.seed}-${sourceHash()}`;
  return databaseUrl
    ? openPostgresCity(options, dataDir, key, databaseUrl)
    : openSqliteCity(options, dataDir, cacheDir, key);
}

function benchConfig(dataDir: string, databaseUrl?: string): CordonConfig {
  return {
    dataDir,
    databaseUrl,
    timeZone: 'Asia/Shanghai',
    ruleSet: 'shanghai-2022-05-16',
    host: '127.0.0.1',
    port: 0,
  };
}

async function openSqliteCity(
  options: BenchCityOptions,
  dataDir: string,
  cacheDir: string,
  key: string,
): Promise<BenchCity> {
  const cached = path.join(cacheDir, `city-${key}.db`);
  const fromCache = fs.existsSync(cached);
  if (fromCache) fs.copyFileSync(cached, path.join(dataDir, 'cordon.db'));
  const ctx = await createContext({
    config: benchConfig(dataDir),
    clock: options.clock,
    secrets: secretsFromMaster(BENCH_SECRET),
  });
  if (!fromCache) {
    console.error(
      `seeding a city at scale ${options.scale}, seed ${options.seed} (cached for the next run)…`,
    );
    await seedCity(ctx, { scale: options.scale, seed: options.seed });
    fs.mkdirSync(cacheDir, { recursive: true });
    // A consistent copy through SQLite's backup API, renamed into place only when complete.
    const partial = `${cached}.partial-${process.pid}`;
    await ctx.store.sqlite!.backup(partial);
    fs.renameSync(partial, cached);
    // Cities seeded by an older generator for the same (scale, seed) will never be read again.
    const stale = `city-${key.slice(0, key.lastIndexOf('-') + 1)}`;
    for (const file of fs.readdirSync(cacheDir)) {
      if (file.startsWith(stale) && file !== path.basename(cached)) {
        fs.rmSync(path.join(cacheDir, file), { force: true });
      }
    }
  }
  return {
    ctx,
    dataDir,
    fromCache,
    cache: cached,
    async close() {
      await closeContext(ctx);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function openPostgresCity(
  options: BenchCityOptions,
  dataDir: string,
  key: string,
  databaseUrl: string,
): Promise<BenchCity> {
  const cacheSchema = `bench_city_${key.replace(/-/g, '_')}`;
  const cache = await createContext({
    config: benchConfig(dataDir, databaseUrl),
    storeOptions: { pgSchema: cacheSchema },
    secrets: secretsFromMaster(BENCH_SECRET),
  });
  let fromCache = true;
  try {
    if (!(await cache.store.db.selectFrom('people').select('id').limit(1).executeTakeFirst())) {
      console.error(
        `seeding a city at scale ${options.scale}, seed ${options.seed} into schema ${cacheSchema} (kept for the next run)…`,
      );
      await seedCity(cache, { scale: options.scale, seed: options.seed });
      fromCache = false;
      await dropStaleSchemas(cache, cacheSchema, databaseUrl);
    }
  } finally {
    await closeContext(cache);
  }
  const runSchema = `bench_run_${crypto.randomBytes(5).toString('hex')}`;
  const claim = await claimRunSchema(databaseUrl, runSchema);
  const ctx = await createContext({
    config: benchConfig(dataDir, databaseUrl),
    clock: options.clock,
    storeOptions: { pgSchema: runSchema },
    secrets: secretsFromMaster(BENCH_SECRET),
  });
  await dropPeopleIndexes(ctx.store);
  for (const table of Object.keys(BULK_COLUMNS) as BulkTable[]) {
    const columns = BULK_COLUMNS[table].map((c) => `"${c}"`).join(', ');
    await sql
      .raw(`insert into "${table}" (${columns}) select ${columns} from "${cacheSchema}"."${table}"`)
      .execute(ctx.store.db);
  }
  await recreatePeopleIndexes(ctx.store);
  await sql.raw('analyze').execute(ctx.store.db);
  await ctx.regions.reload(ctx.store.db);
  return {
    ctx,
    dataDir,
    fromCache,
    cache: cacheSchema,
    async close() {
      // The run schema is dropped and its lock let go even if closing the context fails: an
      // unreleased claim keeps the process alive after the result is printed.
      try {
        await closeContext(ctx);
      } finally {
        await claim.release();
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

/** Cached cities of an older generator for the same (scale, seed): never read again. */
async function dropStaleSchemas(ctx: AppContext, current: string, databaseUrl: string): Promise<void> {
  const prefix = current.slice(0, current.lastIndexOf('_') + 1);
  const schemas = await sql<{
    name: string;
  }>`select nspname as name from pg_namespace where starts_with(nspname, ${prefix})`.execute(ctx.store.db);
  for (const { name } of schemas.rows) if (name !== current) await dropPgSchema(databaseUrl, name);
}

let hash: string | undefined;
function sourceHash(): string {
  if (hash) return hash;
  const digest = crypto.createHash('sha256');
  const add = (file: string) => {
    const stat = fs.statSync(file);
    if (stat.isDirectory()) for (const entry of fs.readdirSync(file).sort()) add(path.join(file, entry));
    else digest.update(path.relative(ROOT, file)).update(fs.readFileSync(file));
  };
  for (const source of CITY_SOURCES) add(path.join(ROOT, source));
  hash = digest.digest('hex').slice(0, 10);
  return hash;
}
