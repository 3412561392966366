import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/app/context.ts';
import { tick } from '../../src/app/kernel/rule-runner.ts';
import { listTestOrders } from '../../src/app/kernel/test-order-queries.ts';
import {
  cancelTestOrders,
  createTestOrder,
  createTestOrders,
  fulfilTestOrders,
  fulfilTestOrdersOfMany,
} from '../../src/app/kernel/test-orders.ts';
import { ordersFulfilledBy, type TestOrder } from '../../src/domain/kernel/test-orders.ts';
import { endOfDay, startOfDay } from '../../src/domain/time/calendar.ts';
import { FIXTURE, loadFixture } from '../support/fixture.ts';
import { openTestContext, testDialects, type TestContext } from '../support/harness.ts';

const H = 3600_000;
const TZ = 'Asia/Shanghai';

describe('which orders a result fulfils (pure)', () => {
  const day = (d: string) => ({ notBefore: startOfDay(d, TZ), dueAt: endOfDay(d, TZ) - 1 });
  const order = (id: number, reason: TestOrder['reason'], window: { notBefore: number; dueAt: number }) => ({
    id,
    reason,
    status: 'open' as const,
    ...window,
  });
  const quarantine = [
    order(1, 'quarantine_day', day('2022-04-13')),
    order(2, 'quarantine_day', day('2022-04-14')),
    order(3, 'quarantine_day', day('2022-04-15')),
  ];
  const sample = (iso: string, singleTube = true) => ({
    sampledAt: Date.parse(iso),
    singleTube,
    ref: 'tube:1',
  });

  it('answers the quarantine day the sample was taken on, not a later one', () => {
    expect(ordersFulfilledBy(quarantine, sample('2022-04-14T09:00:00+08:00')).map((o) => o.id)).toEqual([2]);
    // A day-2 sample cannot answer day 3, which has not begun.
    expect(ordersFulfilledBy([quarantine[2]], sample('2022-04-14T09:00:00+08:00'))).toEqual([]);
  });

  it('lets a late sample make up the earliest missed day when no day is still due', () => {
    expect(
      ordersFulfilledBy(quarantine.slice(0, 2), sample('2022-04-16T09:00:00+08:00')).map((o) => o.id),
    ).toEqual([1]);
  });

  it('answers every open duty, retest and resample at once; a pool never answers a retest', () => {
    const t = Date.parse('2022-04-13T08:00:00+08:00');
    const orders = [
      order(10, 'screening_duty', { notBefore: t - 48 * H, dueAt: t - 24 * H }),
      order(11, 'screening_duty', { notBefore: t - 2 * H, dueAt: t + 24 * H }),
      order(12, 'pool_retest', { notBefore: t - H, dueAt: t + 24 * H }),
      order(13, 'resample', { notBefore: t + H, dueAt: t + 24 * H }),
    ];
    expect(ordersFulfilledBy(orders, { sampledAt: t, singleTube: false, ref: 'x' }).map((o) => o.id)).toEqual(
      [10, 11],
    );
    expect(ordersFulfilledBy(orders, { sampledAt: t, singleTube: true, ref: 'x' }).map((o) => o.id)).toEqual([
      12, 10, 11,
    ]);
    expect(
      ordersFulfilledBy(orders, { sampledAt: t + 2 * H, singleTube: true, ref: 'x' }).map((o) => o.id),
    ).toEqual([12, 13, 10, 11]);
  });
});

describe.each(testDialects())('test orders and the overdue alert on %s', (dialect) => {
  let ctx: TestContext;
  const retest = { type: 'pool', id: 'P-77' };
  beforeAll(async () => {
    ctx = await openTestContext(dialect);
    await loadFixture(ctx);
  });
  afterAll(async () => {
    await ctx.close();
  });

  const count = async (type: string) =>
    (await ctx.store.db.selectFrom('events').select('id').where('type', '=', type).execute()).length;
  const alertsOf = () =>
    ctx.store.db
      .selectFrom('alerts')
      .selectAll()
      .where('rule', '=', 'test_order.overdue')
      .orderBy('id')
      .execute();

  it('creates once per (person, reason, source, due) and publishes test_order.created', async () => {
    const due = ctx.clock.now() + 2 * H;
    const made = await inTransaction(ctx, (uow) =>
      createTestOrders(uow, [
        { personId: FIXTURE.personA1, reason: 'pool_retest', dueAt: due, source: retest },
        { personId: FIXTURE.personA2, reason: 'pool_retest', dueAt: due, source: retest },
      ]),
    );
    expect(made.map((m) => m.created)).toEqual([true, true]);
    const again = await inTransaction(ctx, (uow) =>
      createTestOrder(uow, { personId: FIXTURE.personA1, reason: 'pool_retest', dueAt: due, source: retest }),
    );
    expect(again).toMatchObject({ created: false, order: { id: made[0].order.id, status: 'open' } });
    expect(await count('test_order.created')).toBe(2);
    const open = await listTestOrders(ctx.store.db, ctx.regions, FIXTURE.streetA1, {
      state: 'open',
      now: ctx.clock.now(),
    });
    expect(open.items.map((o) => o.personId)).toEqual([FIXTURE.personA1, FIXTURE.personA2]);
    expect(
      (
        await listTestOrders(ctx.store.db, ctx.regions, FIXTURE.districtB, {
          state: 'open',
          now: ctx.clock.now(),
        })
      ).items,
    ).toEqual([]);
  });

  it('opens an alert for the street by the clock alone once an order is past due', async () => {
    expect(await tick(ctx)).toMatchObject({ overdueTestOrders: 0 });
    await ctx.events.drain();
    expect(await alertsOf()).toEqual([]);

    ctx.clock.advance(3 * H);
    const report = await tick(ctx);
    expect(report.overdueTestOrders).toBe(2);
    await ctx.events.drain();
    const [alert] = await alertsOf();
    expect(alert).toMatchObject({
      level: 'warning',
      subject_type: 'region',
      subject_id: String(FIXTURE.streetA1),
      resolved_at: null,
    });
    expect(JSON.parse(alert.details)).toMatchObject({ lastReason: 'pool_retest' });
    expect((JSON.parse(alert.region_ids) as number[]).sort((a, b) => a - b)).toEqual([
      FIXTURE.city,
      FIXTURE.districtA,
      FIXTURE.streetA1,
    ]);
    expect(await count('alert.opened')).toBe(1);
    // Overdue is reported once: another tick finds nothing new and opens nothing more.
    expect((await tick(ctx)).overdueTestOrders).toBe(0);
    await ctx.events.drain();
    expect(await alertsOf()).toHaveLength(1);
    expect(await count('test_order.overdue')).toBe(2);
    const overdue = await listTestOrders(ctx.store.db, ctx.regions, FIXTURE.committeeA1, {
      state: 'overdue',
      now: ctx.clock.now(),
    });
    expect(overdue.items).toHaveLength(2);
  });

  it('keeps the alert while the street has an overdue order and resolves it when none is left', async () => {
    const sampledAt = ctx.clock.now() - 10 * 60_000;
    const fulfilled = await inTransaction(ctx, (uow) =>
      fulfilTestOrders(uow, FIXTURE.personA1, { sampledAt, singleTube: true, ref: 'tube:SH0001' }),
    );
    expect(fulfilled).toHaveLength(1);
    expect(fulfilled[0]).toMatchObject({
      status: 'fulfilled',
      fulfilledAt: sampledAt,
      fulfilledBy: 'tube:SH0001',
    });
    await ctx.events.drain();
    let [alert] = await alertsOf();
    expect(alert.resolved_at).toBeNull();
    const left = await listTestOrders(ctx.store.db, ctx.regions, FIXTURE.streetA1, {
      state: 'overdue',
      now: ctx.clock.now(),
    });
    expect(left.items.map((o) => o.personId)).toEqual([FIXTURE.personA2]);

    const cancelled = await inTransaction(ctx, (uow) =>
      cancelTestOrders(uow, { personId: FIXTURE.personA2, reason: 'pool_retest' }, 'admitted to hospital'),
    );
    expect(cancelled).toHaveLength(1);
    await ctx.events.drain();
    [alert] = await alertsOf();
    expect(alert.resolved_at).toBe(ctx.clock.now());
    expect(alert.resolution).toMatch(/no overdue/);
    expect(await count('alert.resolved')).toBe(1);
    expect(await count('test_order.fulfilled')).toBe(1);
    expect(await count('test_order.cancelled')).toBe(1);
  });

  it('opens a fresh alert when the street falls behind again, and resolves it on fulfilment', async () => {
    const due = ctx.clock.now() + H;
    await inTransaction(ctx, (uow) =>
      createTestOrder(uow, {
        personId: FIXTURE.personA3,
        reason: 'screening_duty',
        dueAt: due,
        source: { type: 'duty', id: 'weekly-15' },
      }),
    );
    ctx.clock.advance(2 * H);
    await tick(ctx);
    await ctx.events.drain();
    let alerts = await alertsOf();
    expect(alerts).toHaveLength(2);
    expect(alerts[1].resolved_at).toBeNull();
    // A pooled sample meets a screening duty, late.
    await inTransaction(ctx, (uow) =>
      fulfilTestOrders(uow, FIXTURE.personA3, {
        sampledAt: ctx.clock.now(),
        singleTube: false,
        ref: 'tube:P20',
      }),
    );
    await ctx.events.drain();
    alerts = await alertsOf();
    expect(alerts[1].resolved_at).not.toBeNull();
  });

  it('fulfils nothing with a sample taken before the order existed', async () => {
    const now = ctx.clock.now();
    await inTransaction(ctx, (uow) =>
      createTestOrder(uow, {
        personId: FIXTURE.personB1,
        reason: 'resample',
        dueAt: now + 24 * H,
        notBefore: now,
        source: { type: 'tube', id: 'INV-1' },
      }),
    );
    expect(
      await inTransaction(ctx, (uow) =>
        fulfilTestOrders(uow, FIXTURE.personB1, { sampledAt: now - H, singleTube: true, ref: 'old' }),
      ),
    ).toEqual([]);
    expect(
      await inTransaction(ctx, (uow) =>
        fulfilTestOrders(uow, FIXTURE.personB1, { sampledAt: now + H, singleTube: true, ref: 'new' }),
      ),
    ).toHaveLength(1);
  });

  it("fulfils a pool's members at once, each by their own sample, a person named twice in turn", async () => {
    const now = ctx.clock.now();
    const day = 24 * H;
    // Two quarantine days for B2, one resample order for A2.
    await inTransaction(ctx, (uow) =>
      createTestOrders(uow, [
        ...[0, 1].map((d) => ({
          personId: FIXTURE.personB2,
          reason: 'quarantine_day' as const,
          notBefore: now + d * day,
          dueAt: now + (d + 1) * day - 1,
          source: { type: 'episode', id: 'many-q' },
        })),
        {
          personId: FIXTURE.personA2,
          reason: 'resample' as const,
          notBefore: now,
          dueAt: now + day,
          source: { type: 'tube', id: 'INV-many' },
        },
      ]),
    );
    const sample = (at: number, ref: string) => ({ sampledAt: at, singleTube: false, ref });
    const fulfilled = await inTransaction(ctx, (uow) =>
      fulfilTestOrdersOfMany(uow, [
        { personId: FIXTURE.personB2, sample: sample(now + H, 'tube:P1') },
        { personId: FIXTURE.personA2, sample: sample(now + H, 'tube:P1') },
        { personId: FIXTURE.personB2, sample: sample(now + day + H, 'tube:P2') },
      ]),
    );
    expect(fulfilled.map((o) => [o.personId, o.reason, o.fulfilledBy])).toEqual([
      [FIXTURE.personB2, 'quarantine_day', 'tube:P1'],
      [FIXTURE.personA2, 'resample', 'tube:P1'],
      [FIXTURE.personB2, 'quarantine_day', 'tube:P2'],
    ]);
    const events = await ctx.store.db
      .selectFrom('events')
      .select('person_id')
      .where('type', '=', 'test_order.fulfilled')
      .where('person_id', 'in', [FIXTURE.personA2, FIXTURE.personB2])
      .execute();
    expect(events).toHaveLength(3);
  });
});
