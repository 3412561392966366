import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openBenchCity } from '../../bench/lib/city.ts';
import { dropPgSchema } from '../../src/store/database.ts';
import { testDialects } from '../support/harness.ts';

describe.each(testDialects())('the benchmarks’ cached city on %s', (dialect) => {
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cordon-bench-cache-'));
  const databaseUrl = dialect === 'postgres' ? process.env.CORDON_TEST_PG_URL : undefined;
  let cache = '';
  afterAll(async () => {
    fs.rmSync(cacheDir, { recursive: true, force: true });
    if (databaseUrl && cache) await dropPgSchema(databaseUrl, cache);
  });

  it('seeds once per (scale, seed), then copies the cache into a fresh data directory or schema', async () => {
    const options = { name: 'test', scale: 0.0002, seed: 3, cacheDir, databaseUrl: databaseUrl ?? '' };
    const first = await openBenchCity(options);
    cache = first.cache;
    const count = async (city: typeof first) =>
      Number(
        (
          await city.ctx.store.db
            .selectFrom('people')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const people = await count(first);
    expect(first.fromCache).toBe(false);
    expect(first.dataDir.startsWith(os.tmpdir())).toBe(true);
    await first.close();

    const second = await openBenchCity(options);
    expect(second.fromCache).toBe(true);
    expect(second.dataDir).not.toBe(first.dataDir);
    expect(await count(second)).toBe(people);
    expect(second.ctx.regions.districts()).toHaveLength(16);
    await second.close();
  });
});
