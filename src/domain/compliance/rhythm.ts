import type { ComplianceRhythm, ComplianceSection } from '../rules/schema.ts';
import { addDays, dayOf, endOfDay, startOfDay, type CalendarDay } from '../time/calendar.ts';

/**
 * Screening duties (应检尽检) as a chain of test orders: each order says "test between notBefore
 * and dueAt"; when a sample answers it, the next one follows from the rhythm (../SPEC
 * "Compliance"): every N hours (7 days, 48 h, 24 h), or N times a calendar day at least M hours
 * apart (一日两检). Pure: instants and the time zone come in.
 */
export interface DutyOrder {
  notBefore: number;
  dueAt: number;
  /** Distinguishes orders of one duty (a day and its round for per-day rhythms). */
  key: string;
}

const HOUR = 3_600_000;

/** The first order of a duty for a person, from the duty's start (or now, if later). */
export function firstDutyOrder(rhythm: ComplianceRhythm, startsAt: number, timeZone: string): DutyOrder {
  if (rhythm.kind === 'interval') {
    return { notBefore: startsAt, dueAt: startsAt + rhythm.hours * HOUR, key: 'i' };
  }
  return dayOrder(dayOf(startsAt, timeZone), 1, startOfDay(dayOf(startsAt, timeZone), timeZone), timeZone);
}

/** The order of round `n` of a day for a per-day rhythm: due by 24:00 of that day. */
export function dayOrder(day: CalendarDay, n: number, notBefore: number, timeZone: string): DutyOrder {
  return { notBefore, dueAt: endOfDay(day, timeZone), key: `${day}:${n}` };
}

/**
 * The order that follows a fulfilled one, sampled at `sampledAt`:
 * - interval: due `hours` after that sample (a test starts the clock again);
 * - per day: the next round of the same day, open `minHoursApart` after the sample, or the first
 *   round of the next day once the day's rounds are done.
 * The next order never opens at the sample itself, so one sample answers one round. A late
 * sample that answers an earlier day's round starts nothing: the same sample also answered
 * today's round, and today's chain carries on from that one. Null: nothing follows.
 */
export function nextDutyOrder(
  rhythm: ComplianceRhythm,
  fulfilledKey: string,
  sampledAt: number,
  timeZone: string,
): DutyOrder | null {
  if (rhythm.kind === 'interval') {
    return { notBefore: sampledAt + 1, dueAt: sampledAt + rhythm.hours * HOUR, key: 'i' };
  }
  const [day, round] = parseDayKey(fulfilledKey) ?? [dayOf(sampledAt, timeZone), rhythm.times];
  if (day < dayOf(sampledAt, timeZone)) return null;
  if (round < rhythm.times) {
    const notBefore = Math.min(sampledAt + Math.max(1, rhythm.minHoursApart * HOUR), endOfDay(day, timeZone));
    return dayOrder(day, round + 1, notBefore, timeZone);
  }
  const next = addDays(day, 1);
  return dayOrder(next, 1, startOfDay(next, timeZone), timeZone);
}

function parseDayKey(key: string): [CalendarDay, number] | null {
  const match = /^(\d{4}-\d{2}-\d{2}):(\d+)$/.exec(key);
  return match ? [match[1], Number(match[2])] : null;
}

/** The rhythm a duty uses: its own, else the occupation's in the rule set, else the area default. */
export function rhythmFor(compliance: ComplianceSection, occupation: string | null): ComplianceRhythm {
  return (occupation ? compliance.occupations[occupation] : undefined) ?? compliance.defaultAreaDuty;
}
