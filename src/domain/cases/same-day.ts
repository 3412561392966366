/**
 * 日清日结 (../SPEC "Rules: 日清日结", "Time"): everyone confirmed on a day — positives, and
 * close contacts ordered into central quarantine — should be transferred and admitted before
 * 24:00 of that day. This turns a day's transfer orders into the figures command reads.
 */
export interface SameDayOrder {
  districtId: number;
  kind: 'case' | 'contact';
  /** When the person was confirmed (the result's time for a case; the order's for a contact). */
  foundAt: number;
  /** Picked up by the vehicle; null while not yet. */
  pickedUpAt: number | null;
  admittedAt: number | null;
  cancelled: boolean;
}

export interface SameDayFigures {
  /** People found that day who still need (or needed) a transfer: cancelled orders are not counted. */
  found: number;
  cases: number;
  contacts: number;
  /** Picked up so far (on the day or later). */
  transferred: number;
  admitted: number;
  admittedSameDay: number;
  /** Neither admitted nor cancelled. */
  waiting: number;
  cancelled: number;
  /** admittedSameDay / found; null when nobody was found. */
  sameDayShare: number | null;
  /**
   * Minutes from confirmation to admission. A person still waiting counts with the time waited so
   * far (a lower bound), so a backlog cannot hide by not being admitted.
   */
  waitP50Minutes: number | null;
  waitP90Minutes: number | null;
}

/** Nearest-rank percentile of an ascending list; null for an empty list. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/**
 * Figures for the orders found on one day. `endOfDay` is 24:00 of that day; `now` bounds the
 * waits of those still waiting.
 */
export function sameDayFigures(
  orders: readonly SameDayOrder[],
  endOfDay: number,
  now: number,
): SameDayFigures {
  let cases = 0;
  let transferred = 0;
  let admitted = 0;
  let admittedSameDay = 0;
  let waiting = 0;
  let cancelled = 0;
  const waits: number[] = [];
  for (const o of orders) {
    if (o.cancelled) {
      cancelled++;
      continue;
    }
    if (o.kind === 'case') cases++;
    if (o.pickedUpAt != null) transferred++;
    if (o.admittedAt != null) {
      admitted++;
      if (o.admittedAt < endOfDay) admittedSameDay++;
      waits.push(o.admittedAt - o.foundAt);
    } else {
      waiting++;
      waits.push(Math.max(0, now - o.foundAt));
    }
  }
  waits.sort((a, b) => a - b);
  const toMinutes = (ms: number | null) => (ms == null ? null : Math.round(ms / 60_000));
  const counted = orders.length - cancelled;
  return {
    found: counted,
    cases,
    contacts: counted - cases,
    transferred,
    admitted,
    admittedSameDay,
    waiting,
    cancelled,
    sameDayShare: counted > 0 ? admittedSameDay / counted : null,
    waitP50Minutes: toMinutes(percentile(waits, 50)),
    waitP90Minutes: toMinutes(percentile(waits, 90)),
  };
}

/** Groups a day's orders by district and computes each district's figures. */
export function sameDayByDistrict(
  orders: readonly SameDayOrder[],
  endOfDay: number,
  now: number,
): Map<number, SameDayFigures> {
  const groups = new Map<number, SameDayOrder[]>();
  for (const o of orders) {
    const list = groups.get(o.districtId) ?? [];
    list.push(o);
    groups.set(o.districtId, list);
  }
  const out = new Map<number, SameDayFigures>();
  for (const [districtId, list] of [...groups].sort((a, b) => a[0] - b[0])) {
    out.set(districtId, sameDayFigures(list, endOfDay, now));
  }
  return out;
}

/** Whether a person confirmed on a day has missed the same-day admission (the clock rule). */
export function missedSameDay(
  order: Pick<SameDayOrder, 'admittedAt' | 'cancelled'>,
  endOfDay: number,
  now: number,
): boolean {
  if (order.cancelled || now < endOfDay) return false;
  return order.admittedAt == null || order.admittedAt >= endOfDay;
}
