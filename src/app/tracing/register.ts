import type { AppContext } from '../context.ts';
import { registerMonitoringRule } from '../kernel/monitoring-rules.ts';
import { caseCreatedConsumer } from './case-created.ts';
import { investigationOverdueRule, quarantineTestMissedRule } from './monitoring.ts';

/** Tracing's reactions: the `case.created` consumer and its monitoring rules (one line in kernel/consumers.ts). */
export function registerTracing(ctx: AppContext): void {
  ctx.events.register(caseCreatedConsumer(ctx));
  registerMonitoringRule(investigationOverdueRule);
  registerMonitoringRule(quarantineTestMissedRule);
}
