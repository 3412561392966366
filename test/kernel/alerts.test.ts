import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/app/context.ts';
import {
  acknowledgeAlert,
  applyAlertActions,
  listAlerts,
  resolveAlert,
} from '../../src/app/kernel/alerts.ts';
import { registerMonitoringRule, type MonitoringRule } from '../../src/app/kernel/monitoring-rules.ts';
import { startRuleClock, tick } from '../../src/app/kernel/rule-runner.ts';
import type { Principal } from '../../src/domain/access/principal.ts';
import type { AlertAction } from '../../src/domain/kernel/alerts.ts';
import { FIXTURE, loadFixture } from '../support/fixture.ts';
import { openTestContext, testDialects, type TestContext } from '../support/harness.ts';

const districtA: Principal = {
  userId: 10,
  username: 'huangpu',
  role: 'district_command',
  scope: { kind: 'region', regionId: FIXTURE.districtA },
};
const districtB: Principal = {
  userId: 20,
  username: 'xuhui',
  role: 'district_command',
  scope: { kind: 'region', regionId: FIXTURE.districtB },
};
const streetA1: Principal = {
  userId: 11,
  username: 'nanjing-east',
  role: 'street_staff',
  scope: { kind: 'region', regionId: FIXTURE.streetA1 },
};
const city: Principal = {
  userId: 1,
  username: 'city',
  role: 'city_command',
  scope: { kind: 'region', regionId: FIXTURE.city },
};
const tracer: Principal = {
  userId: 30,
  username: 'tracer',
  role: 'tracer',
  scope: { kind: 'region', regionId: FIXTURE.districtA },
};
const lab: Principal = {
  userId: 40,
  username: 'lab',
  role: 'lab',
  scope: { kind: 'organisation', organisationId: FIXTURE.labA },
};

/** A clock rule: beds full in a district, checked on every tick, as a capability would register it. */
let bedsFull = new Set<number>();
const bedsRule: MonitoringRule = {
  name: 'test.beds-full',
  level: 'critical',
  eventTypes: [],
  onTick(): AlertAction[] {
    return [FIXTURE.districtA, FIXTURE.districtB].map((d): AlertAction =>
      bedsFull.has(d)
        ? {
            kind: 'open',
            rule: 'test.beds-full',
            level: 'critical',
            subject: { type: 'region', id: String(d) },
            regionIds: [d],
            details: { free: 0 },
          }
        : {
            kind: 'resolve',
            rule: 'test.beds-full',
            subject: { type: 'region', id: String(d) },
            resolution: 'beds free again',
          },
    );
  },
};

describe.each(testDialects())('alerts on %s', (dialect) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await openTestContext(dialect);
    await loadFixture(ctx);
    registerMonitoringRule(bedsRule);
    bedsFull = new Set();
  });
  afterAll(async () => {
    await ctx.close();
  });

  const ids = async (p: Principal, state?: 'open' | 'acknowledged' | 'resolved') =>
    (await listAlerts(ctx, p, { state })).items.map((a) => a.subject.id);

  it('evaluates clock rules on tick; opening is idempotent per (rule, subject)', async () => {
    bedsFull.add(FIXTURE.districtA);
    await tick(ctx);
    await tick(ctx);
    const rows = await ctx.store.db
      .selectFrom('alerts')
      .selectAll()
      .where('rule', '=', 'test.beds-full')
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      level: 'critical',
      district_id: FIXTURE.districtA,
      subject_id: String(FIXTURE.districtA),
    });
  });

  it('shows an alert on every level it concerns and nowhere else', async () => {
    await inTransaction(ctx, (uow) =>
      applyAlertActions(ctx, uow, [
        {
          kind: 'open',
          rule: 'test.street',
          level: 'warning',
          subject: { type: 'region', id: String(FIXTURE.streetB1) },
          regionIds: [FIXTURE.streetB1],
        },
      ]),
    );
    expect(await ids(districtA)).toEqual([String(FIXTURE.districtA)]);
    expect(await ids(districtB)).toEqual([String(FIXTURE.streetB1)]);
    expect(await ids(city)).toEqual([String(FIXTURE.streetB1), String(FIXTURE.districtA)]);
    // A street sees alerts about its own area, not its district's.
    expect(await ids(streetA1)).toEqual([]);
    await expect(listAlerts(ctx, lab)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('a district-20 user can neither see nor act on a district-10 alert', async () => {
    const [alert] = (await listAlerts(ctx, districtA)).items;
    expect(await ids(districtB)).not.toContain(String(FIXTURE.districtA));
    await expect(acknowledgeAlert(ctx, districtB, alert.id)).rejects.toMatchObject({ code: 'out_of_scope' });
    await expect(resolveAlert(ctx, districtB, alert.id, 'not mine')).rejects.toMatchObject({
      code: 'out_of_scope',
    });
  });

  it('is acknowledged with an owner, then resolved with a resolution; each step publishes', async () => {
    const [alert] = (await listAlerts(ctx, districtA)).items;
    await expect(acknowledgeAlert(ctx, tracer, alert.id)).rejects.toMatchObject({ code: 'forbidden' });
    const acked = await acknowledgeAlert(ctx, districtA, alert.id);
    expect(acked).toMatchObject({
      owner: districtA.userId,
      acknowledgedBy: districtA.userId,
      acknowledgedAt: ctx.clock.now(),
    });
    expect(await ids(districtA, 'open')).toEqual([]);
    expect(await ids(districtA, 'acknowledged')).toEqual([String(FIXTURE.districtA)]);
    await expect(acknowledgeAlert(ctx, districtA, alert.id, { owner: 987654 })).rejects.toMatchObject({
      code: 'not_found',
    });

    await expect(resolveAlert(ctx, districtA, alert.id, '   ')).rejects.toMatchObject({
      code: 'validation_failed',
    });
    const resolved = await resolveAlert(
      ctx,
      districtA,
      alert.id,
      'opened 200 beds at the Expo shelter hospital',
    );
    expect(resolved).toMatchObject({
      resolvedBy: districtA.userId,
      resolution: 'opened 200 beds at the Expo shelter hospital',
    });
    await expect(resolveAlert(ctx, districtA, alert.id, 'again')).rejects.toMatchObject({ code: 'conflict' });
    await expect(acknowledgeAlert(ctx, districtA, alert.id)).rejects.toMatchObject({ code: 'conflict' });
    expect(await ids(districtA, 'resolved')).toEqual([String(FIXTURE.districtA)]);

    const events = await ctx.store.db
      .selectFrom('events')
      .selectAll()
      .where('type', 'like', 'alert.%')
      .orderBy('id')
      .execute();
    expect(events.map((e) => e.type)).toEqual([
      'alert.opened',
      'alert.opened',
      'alert.acknowledged',
      'alert.resolved',
    ]);
    expect(JSON.parse(events[3].region_ids)).toContain(FIXTURE.districtA);
    expect(JSON.parse(events[3].region_ids)).not.toContain(FIXTURE.districtB);
  });

  it('the rule may raise a new alert on the same subject after resolution; a clock rule resolves its own', async () => {
    await tick(ctx);
    const open = (await listAlerts(ctx, districtA, { state: 'open' })).items;
    expect(open.map((a) => a.rule)).toEqual(['test.beds-full']);
    bedsFull.delete(FIXTURE.districtA);
    await tick(ctx);
    expect((await listAlerts(ctx, districtA, { state: 'open' })).items).toEqual([]);
    const resolved = (await listAlerts(ctx, districtA, { state: 'resolved' })).items;
    expect(resolved.map((a) => a.resolution)).toEqual([
      'beds free again',
      'opened 200 beds at the Expo shelter hospital',
    ]);
  });

  it('pages newest first with a cursor', async () => {
    const first = await listAlerts(ctx, city, { limit: 1 });
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).toBe(first.items[0].id);
    const second = await listAlerts(ctx, city, { limit: 1, cursor: first.nextCursor! });
    expect(second.items[0].id).toBeLessThan(first.items[0].id);
  });

  it('runs the rules on a real-time interval until stopped', async () => {
    bedsFull.add(FIXTURE.districtB);
    const errors: unknown[] = [];
    const stop = startRuleClock(ctx, 20, (e) => errors.push(e));
    try {
      for (
        let i = 0;
        i < 100 && (await listAlerts(ctx, districtB, { rule: 'test.beds-full' })).items.length === 0;
        i++
      ) {
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      await stop();
    }
    expect(errors).toEqual([]);
    expect((await listAlerts(ctx, districtB, { rule: 'test.beds-full', state: 'open' })).items).toHaveLength(
      1,
    );
  });
});
