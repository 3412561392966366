/**
 * `npm run bench -- seed --scale S --seed N`: how fast `cordon seed` fills an empty registry.
 * value    = people per second of seedCity (generation, hashing, every registry table, the
 *            people indexes rebuilt) into a fresh data directory;
 * baseline = the same run's raw insert rate of the same person rows (same columns) through
 *            better-sqlite3 prepared statements in 10,000-row transactions into a plain table
 *            (no secondary indexes), with the store's own pragmas (WAL, synchronous FULL).
 */
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { closeContext, createContext } from '../src/app/bootstrap.ts';
import { shanghaiDistricts } from '../src/app/registry/reference-data.ts';
import { seedCity } from '../src/app/registry/seed.ts';
import { seedBatches } from '../src/app/registry/seed-stream.ts';
import { secretsFromMaster } from '../src/app/secrets.ts';
import { planCity } from '../src/domain/registry/city-plan.ts';
import { col, createTableSql, nullable } from '../src/store/migrations/ddl.ts';
import { BULK_COLUMNS, HEX_BYTES_COLUMNS, type Row } from '../src/store/registry/rows.ts';
import { benchArgs } from './lib/args.ts';
import { printResult } from './lib/result.ts';
import { claimRunSchema } from './lib/pg-run-schema.ts';
import { benchTempDir } from './lib/temp.ts';

export async function main(argv: string[]): Promise<void> {
  const { scale, seed } = benchArgs(argv, {}, { scale: '0.1', seed: '1' });
  const dir = benchTempDir('seed');
  const secrets = secretsFromMaster('cordon-bench-seed');
  const databaseUrl = process.env.CORDON_DATABASE_URL || undefined;
  const pgSchema = `bench_seed_${process.pid}`;

  const claim = databaseUrl ? await claimRunSchema(databaseUrl, pgSchema) : null;
  const ctx = await createContext({
    config: {
      dataDir: dir,
      databaseUrl,
      timeZone: 'Asia/Shanghai',
      ruleSet: 'shanghai-2022-05-16',
      host: '127.0.0.1',
      port: 0,
    },
    secrets,
    storeOptions: databaseUrl ? { pgSchema } : {},
  });
  let lastReport = 0;
  const summary = await seedCity(ctx, {
    scale,
    seed,
    onProgress: (p) => {
      if (p.people - lastReport >= 1_000_000 || p.phase !== 'people') {
        lastReport = p.people;
        console.error(`${p.phase} ${p.people.toLocaleString('en')}/${p.totalPeople.toLocaleString('en')}`);
      }
    },
  });
  await closeContext(ctx);
  await claim?.release();
  console.error(`seeded ${summary.people.toLocaleString('en')} people in ${summary.seconds.toFixed(1)} s`);

  const baseline = rawInsertRate(path.join(dir, 'baseline.db'), scale, seed, secrets.idHashKey, Date.now());
  console.error(`raw insert: ${baseline.rows.toLocaleString('en')} rows in ${baseline.seconds.toFixed(1)} s`);
  printResult({
    bench: 'seed',
    scale,
    seed,
    value: summary.peoplePerSecond,
    unit: 'people/s',
    baseline: baseline.rows / baseline.seconds,
    database: databaseUrl ? 'postgres' : 'sqlite',
    people: summary.people,
    households: summary.households,
    buildings: summary.buildings,
    streets: summary.streets,
    committees: summary.committees,
    seedSeconds: Math.round(summary.seconds * 10) / 10,
    baselineSeconds: Math.round(baseline.seconds * 10) / 10,
    timings: summary.timings,
  });
}

/**
 * Inserts the city's person rows, generated exactly as the seed makes them, into a plain
 * people table; only the inserts are timed.
 */
/** Columns the store keeps as bytes get their bytes here, as a raw client would bind them. */
const bytesAt = (HEX_BYTES_COLUMNS.people ?? []).map((c) =>
  (BULK_COLUMNS.people as readonly string[]).indexOf(c),
);
function asStored(row: Row): unknown[] {
  const out: unknown[] = [...row];
  for (const k of bytesAt) if (typeof row[k] === 'string') out[k] = Buffer.from(row[k], 'hex');
  return out;
}

function rawInsertRate(
  file: string,
  scale: number,
  seed: number,
  idHashKey: Uint8Array,
  createdAt: number,
): { rows: number; seconds: number } {
  const db = new SqliteDatabase(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('cache_size = -262144');
  db.pragma('temp_store = MEMORY');
  // The people table's own column types; only the secondary indexes are left out.
  const integers = new Set([
    'district_id',
    'street_id',
    'committee_id',
    'household_id',
    'place_id',
    'birth_year',
    'floor',
    'workplace_org_id',
    'created_at',
    'last_activity_at',
    'purged_at',
  ]);
  const columns = [
    col('id', 'id'),
    ...BULK_COLUMNS.people.slice(1).map((c) => nullable(c, integers.has(c) ? 'int' : 'text')),
  ];
  db.exec(createTableSql({ name: 'people', key: ['id'], columns }, 'sqlite'));
  const insert = db.prepare(
    `insert into people (${BULK_COLUMNS.people.join(', ')}) values (${BULK_COLUMNS.people.map(() => '?').join(', ')})`,
  );
  const transaction = db.transaction((rows: unknown[][]) => {
    for (const row of rows) insert.run(row);
  });
  const plan = planCity(shanghaiDistricts(), { scale, seed });
  let rows = 0;
  let ms = 0;
  for (const batch of seedBatches({ plan, idHashKey, createdAt, batchPeople: 10_000 })) {
    const people = batch.people ?? [];
    for (let i = 0; i < people.length; i += 10_000) {
      // The same bytes the store keeps (ADR 0009), converted before the clock starts.
      const chunk = people.slice(i, i + 10_000).map(asStored);
      const started = performance.now();
      transaction(chunk);
      ms += performance.now() - started;
      rows += chunk.length;
    }
  }
  db.close();
  return { rows, seconds: ms / 1000 };
}
