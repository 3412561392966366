import type { AlertAction, AlertLevel } from '../../domain/kernel/alerts.ts';
import type { CordonEvent } from '../../domain/kernel/events.ts';
import type { AppContext, UnitOfWork } from '../context.ts';

/**
 * A round-the-clock monitoring rule (24小时实时监测). The one rule runner evaluates it on every
 * event of `eventTypes` (onEvent) and on every clock tick (onTick) and applies the actions it
 * returns; a rule never writes alerts itself.
 *
 * Rules read through `uow.trx` only: on SQLite the database has one connection, so a query on
 * `ctx.store.db` from inside the runner's transaction would wait for itself. Numbers come from
 * the active rule set: `getActiveRuleSet(ctx, uow.trx)`.
 */
export interface MonitoringRule {
  /** Stable name, stored on its alerts (`test_order.overdue`). */
  name: string;
  level: AlertLevel;
  eventTypes: readonly string[];
  onEvent?(event: CordonEvent, ctx: AppContext, uow: UnitOfWork): Promise<AlertAction[]> | AlertAction[];
  onTick?(now: number, ctx: AppContext, uow: UnitOfWork): Promise<AlertAction[]> | AlertAction[];
}

const rules = new Map<string, MonitoringRule>();

/**
 * Adds a rule to the process-wide registry. Registering the same rule object again is a no-op
 * (several contexts in one process, e.g. tests); another rule under a taken name is an error.
 */
export function registerMonitoringRule(rule: MonitoringRule): void {
  const existing = rules.get(rule.name);
  if (existing && existing !== rule) throw new Error(`monitoring rule registered twice: ${rule.name}`);
  rules.set(rule.name, rule);
}

export function monitoringRules(): MonitoringRule[] {
  return [...rules.values()];
}
