import type { AppContext } from '../context.ts';
import { complianceRollingConsumer } from '../compliance/rolling.ts';
import { registerMonitoringRule } from '../kernel/monitoring-rules.ts';
import { statusHistoryConsumer } from '../status/history.ts';
import { zoneDailyRule } from './daily.ts';
import { zonesCaseConsumer } from './positives.ts';

/**
 * Zones', compliance's and status's registrations on a context: the `case.created` consumer that
 * seals residences, the duty chain, the status history, and the daily turn on the rule clock.
 */
export function registerZones(ctx: AppContext): void {
  ctx.events.register(zonesCaseConsumer(ctx));
  ctx.events.register(complianceRollingConsumer(ctx));
  ctx.events.register(statusHistoryConsumer(ctx));
  registerMonitoringRule(zoneDailyRule);
}
