import type { AlertAction } from '../../../domain/kernel/alerts.ts';
import type { CordonEvent } from '../../../domain/kernel/events.ts';
import type { MonitoringRule } from '../monitoring-rules.ts';
import { hasOverdueInStreet } from '../repositories/test-orders-repo.ts';

interface OrderPayload {
  orderId: number;
  districtId: number;
  streetId: number;
  dueAt: number;
  reason: string;
  wasOverdue?: boolean;
}

const NAME = 'test_order.overdue';

/**
 * Per consumer transaction, the streets already answered. Every event of a batch was committed
 * before the batch was read, so one answer per street holds for the whole batch; a citywide
 * round makes thousands of orders late at once, and asking once per order was quadratic.
 */
const answered = new WeakMap<object, Map<string, boolean>>();

async function streetHasOverdue(
  trx: Parameters<typeof hasOverdueInStreet>[0],
  districtId: number,
  streetId: number,
): Promise<boolean> {
  let streets = answered.get(trx);
  if (!streets) answered.set(trx, (streets = new Map()));
  const key = `${districtId}:${streetId}`;
  let has = streets.get(key);
  if (has === undefined) streets.set(key, (has = await hasOverdueInStreet(trx, districtId, streetId)));
  return has;
}

/**
 * A test order past its due time and still open (应检未检, a missed retest or quarantine test)
 * raises one alert per street: one per order would bury a street's staff under thousands during
 * a citywide round (the street's list is `listTestOrders(…, {state: 'overdue'})`). It opens on
 * the first overdue order — the clock's sweep publishes `test_order.overdue` — and resolves when
 * the street has no overdue order left, fulfilled or cancelled.
 */
export const testOrderOverdueRule: MonitoringRule = {
  name: NAME,
  level: 'warning',
  eventTypes: ['test_order.overdue', 'test_order.fulfilled', 'test_order.cancelled'],
  async onEvent(event: CordonEvent, _ctx, uow): Promise<AlertAction[]> {
    const p = event.payload as unknown as OrderPayload;
    // A fulfilment or cancellation of an order that was never late changes nothing here.
    if (event.type !== NAME && p.wasOverdue !== true) return [];
    const subject = { type: 'region', id: String(p.streetId) };
    // Read the orders now rather than trust the event: the runner may be reading a backlog.
    if (!(await streetHasOverdue(uow.trx, p.districtId, p.streetId))) {
      return [
        { kind: 'resolve', rule: NAME, subject, resolution: 'no overdue test orders left in the street' },
      ];
    }
    if (event.type !== NAME) return [];
    return [
      {
        kind: 'open',
        rule: NAME,
        level: 'warning',
        subject,
        regionIds: [p.streetId],
        details: { lastOrderId: p.orderId, lastDueAt: p.dueAt, lastReason: p.reason },
      },
    ];
  },
};
