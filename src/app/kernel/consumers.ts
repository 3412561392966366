import type { AppContext } from '../context.ts';
import { registerMonitoringRule } from './monitoring-rules.ts';
import { ruleRunnerConsumer } from './rule-runner.ts';
import { testOrderOverdueRule } from './rules/test-order-overdue.ts';
import { registerCases } from '../cases/register.ts';
import { registerScreening } from '../screening/register.ts';
import { registerTracing } from '../tracing/register.ts';
import { registerZones } from '../zones/register.ts';
import { registerCommand } from '../command/register.ts';

/**
 * Registers every in-process event consumer (rule runner, capability reactions) on the
 * dispatcher. Each capability adds its own registration here.
 */
export function registerKernelConsumers(ctx: AppContext): void {
  registerMonitoringRule(testOrderOverdueRule);
  ctx.events.register(ruleRunnerConsumer(ctx));
  registerScreening(ctx);
  registerCases(ctx);
  registerTracing(ctx);
  registerZones(ctx);
  registerCommand(ctx);
}
