import { dayOf, endOfDay } from '../time/calendar.ts';

/**
 * Where a person stands with their screening duties at an instant:
 * - `overdue` (应检未检): an open duty order is past its due time plus the grace;
 * - `due`: an open order can be answered now and falls due before today ends;
 * - `current`: nothing is late or due today.
 */
export type ComplianceState = 'current' | 'due' | 'overdue';

export interface OpenDuty {
  notBefore: number;
  dueAt: number;
}

export interface Compliance {
  state: ComplianceState;
  /** The earliest deadline among open duties (null: none open). */
  nextDueAt: number | null;
  /** Since when the person has been overdue (the earliest missed deadline plus grace). */
  overdueSince: number | null;
}

export function complianceAt(
  open: readonly OpenDuty[],
  now: number,
  graceHours: number,
  timeZone: string,
): Compliance {
  const grace = graceHours * 3_600_000;
  let nextDueAt: number | null = null;
  let overdueSince: number | null = null;
  let dueToday = false;
  const todayEnds = endOfDay(dayOf(now, timeZone), timeZone);
  for (const o of open) {
    if (nextDueAt == null || o.dueAt < nextDueAt) nextDueAt = o.dueAt;
    const late = o.dueAt + grace;
    if (now > late) {
      if (overdueSince == null || late < overdueSince) overdueSince = late;
    } else if (o.notBefore <= now && o.dueAt <= todayEnds) {
      dueToday = true;
    }
  }
  const state: ComplianceState = overdueSince != null ? 'overdue' : dueToday ? 'due' : 'current';
  return { state, nextDueAt, overdueSince };
}
