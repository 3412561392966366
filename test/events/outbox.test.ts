import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/app/context.ts';
import type { CordonEvent } from '../../src/domain/kernel/events.ts';
import { EventDispatcher } from '../../src/events/dispatcher.ts';
import { FIXTURE, loadFixture } from '../support/fixture.ts';
import { openTestContext, testDialects, type TestContext } from '../support/harness.ts';

describe.each(testDialects())('event outbox on %s', (dialect) => {
  let ctx: TestContext;
  const seen: CordonEvent[] = [];
  beforeAll(async () => {
    ctx = await openTestContext(dialect);
    await loadFixture(ctx);
    ctx.events.register({
      name: 'test-recorder',
      types: ['test.happened'],
      async handle(event) {
        seen.push(event);
      },
    });
  });
  afterAll(async () => {
    await ctx.close();
  });

  it('delivers committed events in order, addressed to the region and its ancestors', async () => {
    for (const n of [1, 2, 3]) {
      await inTransaction(ctx, async (uow) => {
        uow.publish({
          type: 'test.happened',
          occurredAt: uow.now,
          regionIds: [FIXTURE.streetA1],
          payload: { n },
        });
      });
    }
    await ctx.events.drain();
    expect(seen.map((e) => e.payload.n)).toEqual([1, 2, 3]);
    expect(seen[0].regionIds.sort((a, b) => a - b)).toEqual([
      FIXTURE.city,
      FIXTURE.districtA,
      FIXTURE.streetA1,
    ]);
    expect(seen[1].id).toBeGreaterThan(seen[0].id);
  });

  it('never delivers an event written in a rolled-back transaction', async () => {
    const before = seen.length;
    await expect(
      inTransaction(ctx, async (uow) => {
        uow.publish({
          type: 'test.happened',
          occurredAt: uow.now,
          regionIds: [FIXTURE.streetA1],
          payload: { n: 'doomed' },
        });
        await uow.trx.insertInto('settings').values({ key: 'doomed', value: 'x' }).execute();
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await ctx.events.drain();
    expect(seen.length).toBe(before);
    const rows = await ctx.store.db.selectFrom('events').selectAll().execute();
    expect(rows.some((r) => r.payload.includes('doomed'))).toBe(false);
    expect(
      await ctx.store.db.selectFrom('settings').selectAll().where('key', '=', 'doomed').execute(),
    ).toEqual([]);
  });

  it('applies each event once even when two dispatchers deliver the same outbox', async () => {
    const counting = (dispatcher: EventDispatcher) =>
      dispatcher.register({
        name: 'counter',
        types: ['test.counted'],
        async handle(_event, trx) {
          const row = await trx
            .selectFrom('settings')
            .select('value')
            .where('key', '=', 'count')
            .executeTakeFirst();
          const next = String(Number(row?.value ?? 0) + 1);
          if (row) {
            await trx.updateTable('settings').set({ value: next }).where('key', '=', 'count').execute();
          } else await trx.insertInto('settings').values({ key: 'count', value: next }).execute();
        },
      });
    const first = new EventDispatcher(ctx.store);
    const second = new EventDispatcher(ctx.store);
    counting(first);
    counting(second);
    for (let n = 0; n < 5; n++) {
      await inTransaction(ctx, async (uow) => {
        uow.publish({
          type: 'test.counted',
          occurredAt: uow.now,
          regionIds: [FIXTURE.streetB1],
          payload: { n },
        });
      });
    }
    await Promise.all([first.drain(), second.drain()]);
    await first.drain();
    await second.drain();
    const row = await ctx.store.db
      .selectFrom('settings')
      .select('value')
      .where('key', '=', 'count')
      .executeTakeFirst();
    expect(row?.value).toBe('5');
  });
  it('keeps a failing consumer from costing the others: its effects are undone, its events wait', async () => {
    const errors: string[] = [];
    const dispatcher = new EventDispatcher(ctx.store, { onError: (_error, where) => errors.push(where) });
    const steady: unknown[] = [];
    let failing = true;
    dispatcher.register({
      name: 'flaky',
      types: ['test.flaky'],
      async handle(event, trx) {
        await trx
          .insertInto('settings')
          .values({ key: `flaky-${String(event.payload.n)}`, value: 'x' })
          .execute();
        if (failing) throw new Error('the consumer failed');
      },
    });
    dispatcher.register({
      name: 'steady',
      types: ['test.flaky'],
      async handle(event) {
        steady.push(event.payload.n);
      },
    });
    for (const n of [1, 2]) {
      await inTransaction(ctx, async (uow) => {
        uow.publish({
          type: 'test.flaky',
          occurredAt: uow.now,
          regionIds: [FIXTURE.streetA1],
          payload: { n },
        });
      });
    }
    await dispatcher.drain();
    expect(steady).toEqual([1, 2]);
    expect(errors).toContain('consumer flaky');
    const written = () =>
      ctx.store.db
        .selectFrom('settings')
        .select('key')
        .where('key', 'like', 'flaky-%')
        .orderBy('key')
        .execute();
    expect(await written()).toEqual([]);

    failing = false;
    await dispatcher.drain();
    expect((await written()).map((r) => r.key)).toEqual(['flaky-1', 'flaky-2']);
    expect(steady).toEqual([1, 2]);
  });
});
