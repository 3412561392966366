/**
 * Calendar days in the deployment's time zone (../SPEC "Time"). A day is 'YYYY-MM-DD'; an instant
 * is epoch milliseconds. Nothing here reads a clock: instants come in as arguments.
 */
export type CalendarDay = string;

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function parts(instant: number, timeZone: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(instant))) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return out;
}

/** The zone's offset at an instant, asked of Intl (~5 µs: too slow to ask per row). */
export function exactZoneOffsetMs(instant: number, timeZone: string): number {
  const p = parts(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

const OFFSET_SPAN_MS = 3_600_000;
/** Per zone: the offset of each hour of UTC time that has one offset throughout, NaN for one that does not. */
const offsetsByHour = new Map<string, Map<number, number>>();

/**
 * Offset of the zone from UTC at an instant, in ms (Asia/Shanghai: +8 h). Kept per hour: a
 * transfer step or a day's statuses ask it for thousands of instants of the same few hours. An
 * hour whose first and last second have different offsets (a transition inside it) is answered
 * exactly at every call.
 */
export function zoneOffsetMs(instant: number, timeZone: string): number {
  let byHour = offsetsByHour.get(timeZone);
  if (!byHour) offsetsByHour.set(timeZone, (byHour = new Map()));
  const hour = Math.floor(instant / OFFSET_SPAN_MS);
  let offset = byHour.get(hour);
  if (offset === undefined) {
    const start = hour * OFFSET_SPAN_MS;
    const first = exactZoneOffsetMs(start, timeZone);
    offset = first === exactZoneOffsetMs(start + OFFSET_SPAN_MS - 1000, timeZone) ? first : Number.NaN;
    if (byHour.size >= 100_000) byHour.clear();
    byHour.set(hour, offset);
  }
  return Number.isNaN(offset) ? exactZoneOffsetMs(instant, timeZone) : offset;
}

/** The calendar day an instant falls on in the zone. */
export function dayOf(instant: number, timeZone: string): CalendarDay {
  return new Date(instant + zoneOffsetMs(instant, timeZone)).toISOString().slice(0, 10);
}

function dayToUtcMidnight(day: CalendarDay): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) throw new RangeError(`not a calendar day (YYYY-MM-DD): ${day}`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
}

/** The instant a calendar day starts (00:00 local). */
export function startOfDay(day: CalendarDay, timeZone: string): number {
  const utcMidnight = dayToUtcMidnight(day);
  // Two passes settle zones whose offset changes near midnight.
  let guess = utcMidnight - zoneOffsetMs(utcMidnight, timeZone);
  guess = utcMidnight - zoneOffsetMs(guess, timeZone);
  return guess;
}

/** The instant a calendar day ends (24:00 local = the next day's start). */
export function endOfDay(day: CalendarDay, timeZone: string): number {
  return startOfDay(addDays(day, 1), timeZone);
}

export function addDays(day: CalendarDay, days: number): CalendarDay {
  return new Date(dayToUtcMidnight(day) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: CalendarDay, to: CalendarDay): number {
  return Math.round((dayToUtcMidnight(to) - dayToUtcMidnight(from)) / DAY_MS);
}

/** Day number within a period that starts on `firstDay` (day 1 = the first day itself). */
export function dayNumber(firstDay: CalendarDay, day: CalendarDay): number {
  return daysBetween(firstDay, day) + 1;
}

/** Instant of local `HH:MM` on a day, e.g. for sampling windows. */
export function atLocalTime(day: CalendarDay, hour: number, minute: number, timeZone: string): number {
  return startOfDay(day, timeZone) + (hour * 60 + minute) * 60_000;
}
