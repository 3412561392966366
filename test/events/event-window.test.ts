import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/app/context.ts';
import { EventWindowBuffer, indexAfter } from '../../src/events/event-window.ts';
import { lastSequencedEvent, sequenceEvents } from '../../src/store/outbox.ts';
import { FIXTURE, loadFixture } from '../support/fixture.ts';
import { openTestContext, testDialects, type TestContext } from '../support/harness.ts';

describe.each(testDialects())('the dispatcher’s event window on %s', (dialect) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await openTestContext(dialect);
    await loadFixture(ctx);
  });
  afterAll(async () => {
    await ctx.close();
  });

  async function publish(values: number[]): Promise<number> {
    await inTransaction(ctx, async (uow) => {
      for (const n of values) {
        uow.publish({
          type: 'test.windowed',
          occurredAt: uow.now,
          regionIds: [FIXTURE.streetA1],
          payload: { n },
        });
      }
    });
    await sequenceEvents(ctx.store);
    return lastSequencedEvent(ctx.store.db);
  }

  it('reads each event once across passes and drops what every reader has passed', async () => {
    const before = await lastSequencedEvent(ctx.store.db);
    const head = await publish([1, 2, 3]);
    const buffer = new EventWindowBuffer(ctx.store, 100);
    const first = await buffer.advance(before, head);
    expect(first.events.map((e) => e.payload.n)).toEqual([1, 2, 3]);
    expect(first).toMatchObject({ from: before, to: head });

    // Rewritten in the table (events never change): a window that read them again would show it.
    await ctx.store.db
      .updateTable('events')
      .set({ payload: JSON.stringify({ n: 0 }) })
      .where('type', '=', 'test.windowed')
      .execute();
    const again = await buffer.advance(before, head);
    expect(again.events.map((e) => e.payload.n)).toEqual([1, 2, 3]);
    const passed = await buffer.advance(first.events[0].id, head);
    expect(passed.events.map((e) => e.payload.n)).toEqual([2, 3]);

    const later = await publish([4]);
    const grown = await buffer.advance(first.events[0].id, later);
    expect(grown.events.map((e) => e.payload.n)).toEqual([2, 3, 4]);
    expect(grown.to).toBe(later);
  });

  it('holds at most its capacity and ends the window at the last event it holds', async () => {
    const before = await lastSequencedEvent(ctx.store.db);
    const head = await publish([1, 2, 3, 4, 5]);
    const buffer = new EventWindowBuffer(ctx.store, 3);
    const window = await buffer.advance(before, head);
    expect(window.events.map((e) => e.payload.n)).toEqual([1, 2, 3]);
    expect(window.to).toBe(window.events[2].id);
    const next = await buffer.advance(window.to, head);
    expect(next.events.map((e) => e.payload.n)).toEqual([4, 5]);
    expect(next.to).toBe(head);
  });

  it('finds the first event after a number by halving', () => {
    const events = [3, 5, 9].map((id) => ({ id }) as Parameters<typeof indexAfter>[0][number]);
    expect([0, 3, 4, 5, 8, 9, 10].map((id) => indexAfter(events, id))).toEqual([0, 1, 1, 2, 2, 3, 3]);
  });
});
