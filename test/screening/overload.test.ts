import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CordonApp } from '../../src/api/server.ts';
import { scanQueue } from '../../src/app/screening/ingest-queue.ts';
import { FIXTURE } from '../support/fixture.ts';
import { openTestContext, type TestContext } from '../support/harness.ts';
import { codeOf, HOUR, loadScreeningWorld, newClientId, S, server, type Headers } from './support.ts';

/**
 * Over capacity a batch is refused at once with 429 and a Retry-After, and the server stays up:
 * the queue of scans waiting for their commit is bounded. The queue is the same on both
 * databases; SQLite lets the test hold the writer's connection to keep a batch waiting.
 */
describe('scan ingest over capacity', () => {
  let ctx: TestContext;
  let app: CordonApp;
  let h: Headers;
  let roundId: number;

  const batch = (people: number[], tube: string) => ({
    roundId,
    siteId: S.siteA,
    scans: people.map((p) => ({
      clientId: newClientId(),
      personCode: codeOf(ctx, p),
      tubeCode: tube,
      collectedAt: ctx.clock.now(),
      tubeCapacity: 10,
    })),
  });
  const post = (body: object) =>
    app.inject({ method: 'POST', url: '/api/v1/scans/batch', headers: h.sampler, payload: body });

  beforeAll(async () => {
    ctx = await openTestContext('sqlite');
    h = await loadScreeningWorld(ctx);
    scanQueue(ctx, { maxPendingScans: 8 });
    app = await server(ctx);
    const now = ctx.clock.now();
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/screening/rounds',
      headers: h.cmdA,
      payload: { name: 'overload', startsAt: now - HOUR, endsAt: now + HOUR, regionIds: [FIXTURE.districtA] },
    });
    roundId = res.json().id as number;
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  it('answers 429 with Retry-After while the queue is full, then takes the batch', async () => {
    // The site is looked up once and cached: the held connection below then stops only the writer.
    expect((await post(batch([S.extraFirst + 9], 'T-Q0'))).json()).toMatchObject({ accepted: 1 });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // Hold the one connection: the first batch waits in the queue with its 8 scans.
    const holding = ctx.store.db.connection().execute(() => held);
    const first = post(
      batch(
        [0, 1, 2, 3, 4, 5, 6, 7].map((i) => S.extraFirst + i),
        'T-Q1',
      ),
    );
    for (let i = 0; i < 100 && scanQueue(ctx).pendingScans < 8; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(scanQueue(ctx).pendingScans).toBe(8);

    const second = batch([S.extraFirst + 8], 'T-Q2');
    const refused = await post(second);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('overloaded');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);

    release();
    await holding;
    expect((await first).json()).toMatchObject({ accepted: 8 });
    // The device retries the refused batch: it is taken, nothing was lost or doubled.
    expect((await post(second)).json()).toMatchObject({ accepted: 1 });
    const stored = await ctx.store.db.selectFrom('scans').select('client_id').execute();
    expect(stored).toHaveLength(10);
  });
});
