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
    // The types some rule wants, asked at each delivery: rules may be registered after the
    // consumer. Status changes and other busy types no rule reads are not even parsed.
    get types() {
      return [...new Set(monitoringRules().flatMap((r) => (r.onEvent ? r.eventTypes : [])))];
    },
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
  /** Rules whose onTick ran (including those that failed). */
  rulesEvaluated: number;
  /** Steps of this turn that threw: a rule's name, `test_order.overdue-sweep` or `rule-set-revalidation`. */
  failures: TickFailure[];
}

export interface TickFailure {
  step: string;
  error: unknown;
}

const SWEEP_BATCH = 2000;
const failureCounts = new WeakMap<AppContext, Map<string, number>>();

/** Failed turns of each rule (and sweep step) since the context was created, for operators and tests. */
export function tickFailureCounts(ctx: AppContext): ReadonlyMap<string, number> {
  return failureCounts.get(ctx) ?? new Map();
}

/**
 * One turn of the monitoring clock: reports late test orders (their events then reach the rules
 * through the consumer), evaluates every rule's onTick, and checks the rule-set cache against the
 * database. Each step is its own transaction, so one slow rule does not hold the others, and is
 * isolated: a step that throws is rolled back, counted and listed in the report, and the turn
 * goes on — one broken rule (a capability's bug, a query that fails on odd data) must not silence
 * every other alert. The turn itself never throws.
 */
export async function tick(ctx: AppContext): Promise<TickReport> {
  const now = ctx.clock.now();
  const failures: TickFailure[] = [];
  const isolated = async (step: string, run: () => Promise<void>) => {
    try {
      await run();
    } catch (error) {
      failures.push({ step, error });
      let counts = failureCounts.get(ctx);
      if (!counts) failureCounts.set(ctx, (counts = new Map()));
      counts.set(step, (counts.get(step) ?? 0) + 1);
    }
  };
  let overdue = 0;
  await isolated('test_order.overdue-sweep', async () => {
    for (;;) {
      const marked = await inTransaction(ctx, (uow) => markOverdueTestOrders(uow, SWEEP_BATCH));
      overdue += marked;
      if (marked < SWEEP_BATCH) break;
    }
  });
  const clockRules = monitoringRules().filter((r) => r.onTick);
  for (const rule of clockRules) {
    await isolated(rule.name, () =>
      inTransaction(ctx, async (uow) => {
        const actions = await rule.onTick!(uow.now, ctx, uow);
        await applyAlertActions(ctx, uow, actions);
      }),
    );
  }
  await isolated('rule-set-revalidation', () => revalidateRuleSetCache(ctx));
  return { now, overdueTestOrders: overdue, rulesEvaluated: clockRules.length, failures };
}

/**
 * Runs `tick` every `intervalMs` of real time (the server calls this at start, after the event
 * dispatcher has started). Turns never overlap; each failed step of a turn is reported (as an
 * error naming the step, its cause attached) and the next turn runs as usual.
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
      .then((report) => {
        for (const f of report.failures) {
          onError(new Error(`monitoring step ${f.step} failed: ${messageOf(f.error)}`, { cause: f.error }));
        }
      }, onError)
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

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function defaultReport(error: unknown): void {
  console.error('[rules]', error);
}
