import type { AppContext } from '../context.ts';
import { registerMonitoringRule } from '../kernel/monitoring-rules.ts';
import { followUpConsumer } from './follow-up.ts';
import { labOverdueRule, poolPositiveRule } from './monitoring.ts';

/** Screening's reactions: the results follow-up consumer and its monitoring rules (one line in kernel/consumers.ts). */
export function registerScreening(ctx: AppContext): void {
  ctx.events.register(followUpConsumer(ctx));
  registerMonitoringRule(poolPositiveRule);
  registerMonitoringRule(labOverdueRule);
}
