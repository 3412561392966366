import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeContext, createContext } from '../../src/app/bootstrap.ts';
import { secretsFromMaster } from '../../src/app/secrets.ts';
import { areaOf } from '../../src/api/overview/area.ts';
import { hasRecountWorker, recount, startRecountWorker } from '../../src/api/overview/sections/recounter.ts';
import { sectionSources } from '../../src/api/overview/sections/sources.ts';
import { FIXTURE, loadFixture } from '../support/fixture.ts';
import { openTestContext, type TestContext } from '../support/harness.ts';

/** On SQLite a running server counts heavy sections in a worker thread: the same answer as in place. */
describe('overview recount worker', () => {
  let ctx: TestContext;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    ctx = await openTestContext('sqlite');
    await loadFixture(ctx);
    stop = startRecountWorker(ctx);
  });
  afterAll(async () => {
    await stop();
    await ctx.close();
  });

  it('answers as the count in place, measures included, in either lane', async () => {
    const keys = Object.keys(sectionSources) as (keyof typeof sectionSources)[];
    expect(keys.length).toBeGreaterThanOrEqual(12);
    for (const key of keys) {
      const area = areaOf(ctx, ctx.regions.get(FIXTURE.city)!, ctx.clock.now());
      const source = sectionSources[key];
      const lane = ['registry', 'control', 'testOrders', 'coverage', 'stages'].includes(key)
        ? 'heavy'
        : 'light';
      const off = await recount(ctx, source, area, lane);
      const here = await source.compute(ctx, area);
      expect(off.data).toEqual(here.data);
      expect(Object.keys(off.measures ?? {}).sort()).toEqual(Object.keys(here.measures ?? {}).sort());
      for (const [measure, values] of Object.entries(here.measures ?? {})) {
        expect([...(off.measures as Record<string, Map<number, number>>)[measure]]).toEqual([...values]);
      }
    }
    expect(hasRecountWorker(ctx, 'heavy')).toBe(true);
    expect(hasRecountWorker(ctx, 'light')).toBe(true);
  });

  it("opens beside the server's writer without writing: a server mid-transaction is not refused", async () => {
    const main = ctx.store.sqlite!;
    // The server holds the write lock (a request's transaction) while the thread's context opens.
    main.exec('begin immediate');
    try {
      const reader = await createContext({
        config: { ...ctx.config },
        secrets: secretsFromMaster('recount-test'),
        readOnly: true,
      });
      try {
        const people = await reader.store.db
          .selectFrom('people')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        expect(Number(people.n)).toBeGreaterThan(0);
        expect(() => reader.store.sqlite!.exec('analyze')).toThrow(/readonly|read-only/);
      } finally {
        await closeContext(reader);
      }
    } finally {
      main.exec('commit');
    }
  });
});
