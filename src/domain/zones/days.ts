import { addDays, daysBetween, type CalendarDay } from '../time/calendar.ts';

/**
 * Calendar-day arithmetic for the zone rules, memoised: the daily run evaluates every place of a
 * city against the same few dozen days, and each condition asks for a few of them. The answers
 * are calendar.ts's own; only repeated parsing is saved.
 */
const EPOCH: CalendarDay = '1970-01-01';
const indexOf = new Map<CalendarDay, number>();
const dayAt = new Map<number, CalendarDay>();

function index(day: CalendarDay): number {
  let n = indexOf.get(day);
  if (n === undefined) {
    n = daysBetween(EPOCH, day);
    indexOf.set(day, n);
    dayAt.set(n, day);
  }
  return n;
}

function day(n: number): CalendarDay {
  let d = dayAt.get(n);
  if (d === undefined) {
    d = addDays(EPOCH, n);
    dayAt.set(n, d);
    indexOf.set(d, n);
  }
  return d;
}

export function plusDays(from: CalendarDay, days: number): CalendarDay {
  return day(index(from) + days);
}

export function daysFrom(from: CalendarDay, to: CalendarDay): number {
  return index(to) - index(from);
}
