import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppContext } from '../../src/app/context.ts';
import { DEFAULT_CACHE_DIR } from '../lib/city.ts';

/**
 * The built peak (SQLite) kept per (scale, seed) and the sources that make it, like the seeded
 * cities of bench/lib/city.ts: building it takes about 11 minutes at scale 1 on a shared machine
 * (most of it the day's intake through every consumer), the measurement a few minutes.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SOURCES = [
  'bench/overview/peak.ts',
  'bench/overview/round.ts',
  'bench/lib/peak-state.ts',
  'bench/lib/peak-stays.ts',
  'bench/zones/wave.ts',
  'bench/zones/simulate.ts',
  'bench/tracing/wave.ts',
  'src/store/migrations',
];

function sourceHash(cityCache: string): string {
  const digest = crypto.createHash('sha256').update(path.basename(cityCache));
  const add = (file: string) => {
    const stat = fs.statSync(file);
    if (stat.isDirectory()) for (const entry of fs.readdirSync(file).sort()) add(path.join(file, entry));
    else digest.update(path.relative(ROOT, file)).update(fs.readFileSync(file));
  };
  for (const source of SOURCES) add(path.join(ROOT, source));
  return digest.digest('hex').slice(0, 10);
}

export function peakCacheFile(scale: number, seed: number, cityCache: string): string {
  return path.join(
    DEFAULT_CACHE_DIR,
    `overview-peak-s${String(scale).replace('.', '_')}-seed${seed}-${sourceHash(cityCache)}.db`,
  );
}

/** Puts a cached peak in place of the data directory's database (the context must be closed). */
export function restorePeak(file: string, dataDir: string): void {
  for (const suffix of ['', '-wal', '-shm']) {
    fs.rmSync(path.join(dataDir, `cordon.db${suffix}`), { force: true });
  }
  fs.copyFileSync(file, path.join(dataDir, 'cordon.db'));
}

export async function savePeak(ctx: AppContext, file: string): Promise<void> {
  if (!ctx.store.sqlite) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.partial-${process.pid}`;
  await ctx.store.sqlite.backup(partial);
  fs.renameSync(partial, file);
}
