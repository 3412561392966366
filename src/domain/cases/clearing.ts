import { addDays, daysBetween, type CalendarDay } from '../time/calendar.ts';
import type { CommunitySection } from '../rules/schema.ts';

/**
 * 社会面清零 per district (../SPEC "Rules: 社会面清零"): "basically cleared" — fewer than 1
 * community positive per 100,000 residents a day for 3 consecutive days; "cleared" — zero for 3
 * consecutive days. Positives are dated by their sampling day; only whole calendar days count,
 * so the status is judged through the last complete day (../SPEC "Time").
 */
export type ClearingLevel = 'cleared' | 'basically_cleared' | 'not_cleared';

type Threshold = CommunitySection['cleared'];

export interface ClearingDay {
  day: CalendarDay;
  community: number;
  per100k: number | null;
  meetsBasicallyCleared: boolean;
  meetsCleared: boolean;
}

export interface ClearingStatus {
  level: ClearingLevel;
  /** Consecutive days, ending on `throughDay`, under the "basically cleared" threshold. */
  basicallyClearedDays: number;
  /** Consecutive days, ending on `throughDay`, with no community positive. */
  clearedDays: number;
  /** Days still needed for each level (0 when reached). */
  daysToBasicallyCleared: number;
  daysToCleared: number;
  /** The most community positives a day may have and still count towards "basically cleared". */
  basicallyClearedMaxPerDay: number;
  lastCommunityDay: CalendarDay | null;
  /** True when a streak runs back to the first day looked at: it is at least that long. */
  streakReachesWindowStart: boolean;
  days: ClearingDay[];
}

/** Whether a day's count is within a threshold; both limits apply when both are set. */
export function meetsThreshold(count: number, population: number, threshold: Threshold): boolean {
  if (threshold.maxPerDay != null && count > threshold.maxPerDay) return false;
  if (threshold.maxPer100kPerDay != null) {
    // No residents on record: only a day without any positive can be under a rate.
    if (population <= 0) return count === 0;
    if ((count * 100_000) / population >= threshold.maxPer100kPerDay) return false;
  }
  return true;
}

/** The largest whole count a day may have under a threshold (for display: "at most 6 a day"). */
export function maxCountUnder(population: number, threshold: Threshold): number {
  let max = Number.POSITIVE_INFINITY;
  if (threshold.maxPerDay != null) max = threshold.maxPerDay;
  if (threshold.maxPer100kPerDay != null) {
    const byRate = population <= 0 ? 0 : Math.ceil((threshold.maxPer100kPerDay * population) / 100_000) - 1;
    max = Math.min(max, Math.max(0, byRate));
  }
  return max;
}

export interface ClearingInput {
  /** First day looked at (older days are unknown to this evaluation). */
  firstDay: CalendarDay;
  /** Last complete day. */
  throughDay: CalendarDay;
  /** Community positives by sampling day; missing days are zero. */
  counts: ReadonlyMap<CalendarDay, number>;
  population: number;
  section: Pick<CommunitySection, 'basicallyCleared' | 'cleared'>;
}

export function evaluateClearing(input: ClearingInput): ClearingStatus {
  const { section, population } = input;
  const span = daysBetween(input.firstDay, input.throughDay) + 1;
  const days: ClearingDay[] = [];
  let lastCommunityDay: CalendarDay | null = null;
  for (let i = 0; i < span; i++) {
    const day = addDays(input.firstDay, i);
    const community = input.counts.get(day) ?? 0;
    if (community > 0) lastCommunityDay = day;
    days.push({
      day,
      community,
      per100k: population > 0 ? (community * 100_000) / population : null,
      meetsBasicallyCleared: meetsThreshold(community, population, section.basicallyCleared),
      meetsCleared: meetsThreshold(community, population, section.cleared),
    });
  }
  const streak = (key: 'meetsBasicallyCleared' | 'meetsCleared') => {
    let n = 0;
    for (let i = days.length - 1; i >= 0 && days[i][key]; i--) n++;
    return n;
  };
  const basicallyClearedDays = streak('meetsBasicallyCleared');
  const clearedDays = streak('meetsCleared');
  const level: ClearingLevel =
    clearedDays >= section.cleared.consecutiveDays
      ? 'cleared'
      : basicallyClearedDays >= section.basicallyCleared.consecutiveDays
        ? 'basically_cleared'
        : 'not_cleared';
  return {
    level,
    basicallyClearedDays,
    clearedDays,
    daysToBasicallyCleared: Math.max(0, section.basicallyCleared.consecutiveDays - basicallyClearedDays),
    daysToCleared: Math.max(0, section.cleared.consecutiveDays - clearedDays),
    basicallyClearedMaxPerDay: maxCountUnder(population, section.basicallyCleared),
    lastCommunityDay,
    streakReachesWindowStart:
      days.length > 0 && (basicallyClearedDays === days.length || clearedDays === days.length),
    days,
  };
}
