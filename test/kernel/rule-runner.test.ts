import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAlerts } from '../../src/app/kernel/alerts.ts';
import { registerMonitoringRule, type MonitoringRule } from '../../src/app/kernel/monitoring-rules.ts';
import { startRuleClock, tick, tickFailureCounts } from '../../src/app/kernel/rule-runner.ts';
import type { Principal } from '../../src/domain/access/principal.ts';
import type { AlertAction } from '../../src/domain/kernel/alerts.ts';
import { FIXTURE, loadFixture } from '../support/fixture.ts';
import { openTestContext, testDialects, type TestContext } from '../support/harness.ts';

/**
 * The clock's turn isolates each monitoring rule: one that throws is rolled back, counted and
 * reported, and the rules after it still raise their alerts.
 */
const city: Principal = {
  userId: 1,
  username: 'city',
  role: 'city_command',
  scope: { kind: 'region', regionId: FIXTURE.city },
};

let broken = true;
/** Registered first, so it runs before the healthy rule: a failure must not stop what follows. */
const brokenRule: MonitoringRule = {
  name: 'test.broken',
  level: 'warning',
  eventTypes: [],
  onTick(): AlertAction[] {
    if (broken) throw new Error('no such column: beds_free');
    return [];
  },
};
const healthyRule: MonitoringRule = {
  name: 'test.healthy',
  level: 'warning',
  eventTypes: [],
  onTick(): AlertAction[] {
    return [
      {
        kind: 'open',
        rule: 'test.healthy',
        level: 'warning',
        regionIds: [FIXTURE.districtA],
        subject: { type: 'region', id: String(FIXTURE.districtA) },
        details: { note: 'still evaluated' },
      },
    ];
  },
};

describe.each(testDialects())('rule runner isolation on %s', (dialect) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await openTestContext(dialect);
    await loadFixture(ctx);
    registerMonitoringRule(brokenRule);
    registerMonitoringRule(healthyRule);
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('evaluates the other rules when one throws, and reports and counts the failure', async () => {
    broken = true;
    const report = await tick(ctx);
    expect(report.failures.map((f) => f.step)).toEqual(['test.broken']);
    expect((report.failures[0].error as Error).message).toBe('no such column: beds_free');
    const open = (await listAlerts(ctx, city, { rule: 'test.healthy', state: 'open' })).items;
    expect(open).toHaveLength(1);
    await tick(ctx);
    expect(tickFailureCounts(ctx).get('test.broken')).toBe(2);
    expect(tickFailureCounts(ctx).has('test.healthy')).toBe(false);
  });

  it('reports each failed step through the running clock, which keeps running', async () => {
    broken = true;
    const errors: unknown[] = [];
    const stop = startRuleClock(ctx, 20, (e) => errors.push(e));
    try {
      for (let i = 0; i < 200 && errors.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    } finally {
      await stop();
    }
    // Two turns ran (the clock did not stop at the first failure), each naming the rule.
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect((errors[0] as Error).message).toBe(
      'monitoring step test.broken failed: no such column: beds_free',
    );
    expect(((errors[0] as Error).cause as Error).message).toBe('no such column: beds_free');
    broken = false;
    expect((await tick(ctx)).failures).toEqual([]);
  });
});
