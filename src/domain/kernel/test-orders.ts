/**
 * Test orders (../SPEC "Shared kernel"): "this person must be tested by then, for this reason".
 * Pure: which orders a sample fulfils, and when one is overdue.
 */
export const TEST_ORDER_REASONS = [
  /** 混管阳性单管复核 — single-tube retest after a positive pool. */
  'pool_retest',
  /** 隔离第N天检测 — a quarantine or home-monitoring test day. */
  'quarantine_day',
  /** 无效样本重采 — resample after an invalid tube. */
  'resample',
  /** 应检尽检 — a screening duty (area round or key-industry rhythm). */
  'screening_duty',
] as const;

export type TestOrderReason = (typeof TEST_ORDER_REASONS)[number];
export type TestOrderStatus = 'open' | 'fulfilled' | 'cancelled';

export interface TestOrderSource {
  type: string;
  id: string;
}

export interface TestOrder {
  id: number;
  personId: number;
  districtId: number;
  reason: TestOrderReason;
  /** The earliest sampling instant that answers the order. */
  notBefore: number;
  dueAt: number;
  source: TestOrderSource;
  status: TestOrderStatus;
  fulfilledAt: number | null;
  fulfilledBy: string | null;
  cancelledReason: string | null;
  overdueAt: number | null;
  createdAt: number;
}

/** A test that may answer orders: when it was sampled, and whether the tube held only this person. */
export interface SampleTaken {
  sampledAt: number;
  singleTube: boolean;
  /** Reference recorded on the fulfilled orders (e.g. `tube:SH0001234`). */
  ref: string;
}

/**
 * How many of a person's open orders of one reason a sample answers:
 * - `all`: a new test answers every such order (a duty is met by the latest test; a retest or a
 *   resample is one test however many pools asked for it);
 * - `one`: each order stands for its own test (quarantine day 2 and day 3 are two tests).
 */
const FULFILMENT: Record<TestOrderReason, 'all' | 'one'> = {
  pool_retest: 'all',
  resample: 'all',
  screening_duty: 'all',
  quarantine_day: 'one',
};

/** Pool retests need a single tube (../SPEC "Pooling": re-sampled by single tube). */
function sampleCanAnswer(order: Pick<TestOrder, 'reason'>, sample: SampleTaken): boolean {
  return order.reason !== 'pool_retest' || sample.singleTube;
}

/**
 * The open orders a valid result fulfils (an invalid tube fulfils nothing; screening issues a
 * resample order instead). An order is eligible when the sample was taken at or after its
 * `notBefore` (a test taken before the order existed, or before its quarantine day began, does
 * not answer it). Then, per reason:
 * - `all` reasons: every eligible order;
 * - `quarantine_day`: one order: the eligible order with the earliest due time at or after the
 *   sampling time (the day the sample was meant for); if none is still due, the earliest overdue
 *   one (a late make-up test).
 * Orders are fulfilled as of the sampling time: "tested by then" is about when the sample was taken.
 */
export function ordersFulfilledBy<
  O extends Pick<TestOrder, 'id' | 'reason' | 'status' | 'notBefore' | 'dueAt'>,
>(orders: readonly O[], sample: SampleTaken): O[] {
  const eligible = orders.filter(
    (o) => o.status === 'open' && o.notBefore <= sample.sampledAt && sampleCanAnswer(o, sample),
  );
  const chosen: O[] = [];
  const byDue = (a: O, b: O) => a.dueAt - b.dueAt || a.id - b.id;
  for (const reason of Object.keys(FULFILMENT) as TestOrderReason[]) {
    const mine = eligible.filter((o) => o.reason === reason).sort(byDue);
    if (mine.length === 0) continue;
    if (FULFILMENT[reason] === 'all') {
      chosen.push(...mine);
      continue;
    }
    chosen.push(mine.find((o) => o.dueAt >= sample.sampledAt) ?? mine[0]);
  }
  return chosen;
}

/** Open and past its due time at `now`. */
export function isOverdue(order: Pick<TestOrder, 'status' | 'dueAt'>, now: number): boolean {
  return order.status === 'open' && order.dueAt < now;
}

export function isTestOrderReason(value: string): value is TestOrderReason {
  return (TEST_ORDER_REASONS as readonly string[]).includes(value);
}
