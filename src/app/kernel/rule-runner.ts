import type { EventConsumer } from '../../events/dispatcher.ts';
import { inTransaction, type AppContext } from '../context.ts';
import { applyAlertActions } from './alerts.ts';
import { consumerUnitOfWork } from './consumer-uow.ts';
import { monitoringRules } from './monitoring-rules.ts';
import { invalidateRuleSetCache, revalidateRuleSetCache } from './rule-sets.ts';
import { markOverdueTestOrders } from './test-orders.ts';

/**
 * The one rule runner (../SPEC "Alerts"): every monitoring rule is evaluated here, on each
 * relevant event (as an in-process consumer, in the consumer's transaction, so an event's alerts
 * are applied exactly once) and on the clock (`tick`).
 */
export const RULE_RUNNER_CONSUMER = 'kernel.rule-runner';

export function ruleRunnerConsumer(ctx: AppContext): EventConsumer {
  return {
    name: RULE_RUNNER_CONSUMER,
    // No type filter: rules may be registered after the consumer; each rule names its own types.
    async handle(event, trx) {
      const rules = monitoringRules().filter((r) => r.onEvent && r.eventTypes.includes(event.type));
      if (rules.length === 0) return;
      const uow = consumerUnitOfWork(ctx, trx);
      for (const rule of rules) {
        const actions = await rule.onEvent!(event, ctx, uow);
        await applyAlertActions(ctx, uow, actions);
      }
      await uow.flush();
    },
  };
}

export interface TickReport {
  now: number;
  /** Test orders newly found past due (one `test_order.overdue` each). */
  overdueTestOrders: number;
  /** Rules whose onTick ran. */
  rulesEvaluated: number;
}

const SWEEP_BATCH = 2000;

/**
 * One turn of the monitoring clock: reports late test orders (their events then reach the rules
 * through the consumer), evaluates every rule's onTick, and checks the rule-set cache against the
 * database. Each step is its own transaction, so one slow rule does not hold the others.
 */
export async function tick(ctx: AppContext): Promise<TickReport> {
  const now = ctx.clock.now();
  let overdue = 0;
  for (;;) {
    const marked = await inTransaction(ctx, (uow) => markOverdueTestOrders(uow, SWEEP_BATCH));
    overdue += marked;
    if (marked < SWEEP_BATCH) break;
  }
  const clockRules = monitoringRules().filter((r) => r.onTick);
  for (const rule of clockRules) {
    await inTransaction(ctx, async (uow) => {
      const actions = await rule.onTick!(uow.now, ctx, uow);
      await applyAlertActions(ctx, uow, actions);
    });
  }
  await revalidateRuleSetCache(ctx);
  return { now, overdueTestOrders: overdue, rulesEvaluated: clockRules.length };
}

/**
 * Runs `tick` every `intervalMs` of real time (the server calls this at start, after the event
 * dispatcher has started). Turns never overlap; a failed turn is reported and the next one runs.
 * Also drops the rule-set cache as soon as a `rules.*` event from any process is broadcast.
 * Returns the stop function, which resolves once a turn in progress has finished.
 */
export function startRuleClock(
  ctx: AppContext,
  intervalMs = 5000,
  onError: (error: unknown) => void = defaultReport,
): () => Promise<void> {
  let running: Promise<void> | null = null;
  const turn = () => {
    running ??= tick(ctx)
      .then(() => undefined, onError)
      .finally(() => {
        running = null;
      });
    return running;
  };
  const unsubscribe = ctx.events.subscribe((event) => {
    if (event.type === 'rules.activated' || event.type === 'rules.copied') invalidateRuleSetCache(ctx);
  });
  const timer = setInterval(() => void turn(), intervalMs);
  timer.unref();
  void turn();
  return async () => {
    clearInterval(timer);
    unsubscribe();
    await running;
  };
}

function defaultReport(error: unknown): void {
  console.error('[rules] tick failed:', error);
}
