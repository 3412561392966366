import type { ZoneCondition } from '../rules/zones-schema.ts';
import type { CalendarDay } from '../time/calendar.ts';
import { daysFrom as daysBetween, plusDays as addDays } from './days.ts';
import type { ConditionResult, DayCoverage, PositiveResident, ZoneDesignation } from './types.ts';

/**
 * The conditions of the transition table, evaluated on a calendar day (../SPEC "Time"):
 * - a period's day 1 is the day the place entered it; N days completed is due at the start of day N + 1;
 * - "N days without a new positive" counts whole calendar days after the sampling day of the
 *   last positive living there, and is due at the start of the day after the Nth.
 */

/** What the evaluation needs besides the designation: the facts of the place. */
export interface PlaceFacts {
  /** Positives living in the place (for a compound: in any of its buildings). */
  positives: readonly PositiveResident[];
  /** Residents' negative tests on a period day's calendar day, when known. */
  coverage(day: CalendarDay): DayCoverage | undefined;
}

/** Day number of `day` in the period (day 1 = the period's first day). */
export function periodDay(designation: Pick<ZoneDesignation, 'periodStartDay'>, day: CalendarDay): number {
  return daysBetween(designation.periodStartDay, day) + 1;
}

/** The calendar day of a period day. */
export function calendarDayOf(designation: Pick<ZoneDesignation, 'periodStartDay'>, n: number): CalendarDay {
  return addDays(designation.periodStartDay, n - 1);
}

/**
 * The day quiet days are counted from: the last positive's sampling day, or, for a place
 * designated without one living there, the day before its period began (day 1 is quiet).
 */
function quietSince(designation: ZoneDesignation): CalendarDay {
  return designation.lastPositiveDay ?? addDays(designation.periodStartDay, -1);
}

/** Positives of the current period that did not start it. */
export function newPositivesInPeriod(
  designation: ZoneDesignation,
  positives: readonly PositiveResident[],
): PositiveResident[] {
  const causes = designation.causeCaseIds;
  return positives.filter((p) => p.sampledDay >= designation.periodStartDay && !causes.includes(p.caseId));
}

/** A few cases by name and how many more: an explanation, not a list (a compound can have hundreds). */
function someCases(positives: readonly PositiveResident[]): string {
  const named = positives.slice(0, 3).map((p) => `case ${p.caseId} (sampled ${p.sampledDay})`);
  return positives.length > 3 ? `${named.join(', ')} and ${positives.length - 3} more` : named.join(', ');
}

/** The sentence of a result, built only when asked for. */
function say(explain: boolean, text: () => string): string {
  return explain ? text() : '';
}

/**
 * One condition on a day. `explain: false` leaves `text` empty: the daily run over a whole city
 * needs only whether each way out is open, and writes sentences only for the proposals it makes.
 */
export function evaluateCondition(
  condition: ZoneCondition,
  designation: ZoneDesignation,
  facts: PlaceFacts,
  today: CalendarDay,
  explain = true,
): ConditionResult {
  switch (condition.kind) {
    case 'days_without_positive': {
      const since = quietSince(designation);
      const quiet = Math.max(0, daysBetween(since, today) - 1);
      const dueDay = addDays(since, condition.days + 1);
      return {
        kind: condition.kind,
        met: quiet >= condition.days,
        dueDay,
        text: say(
          explain,
          () =>
            `${quiet} of ${condition.days} whole days without a new positive (since ${since}); due ${dueDay}`,
        ),
      };
    }
    case 'period_days_completed': {
      const completed = Math.max(0, periodDay(designation, today) - 1);
      const dueDay = calendarDayOf(designation, condition.days + 1);
      return {
        kind: condition.kind,
        met: completed >= condition.days,
        dueDay,
        text: say(
          explain,
          () =>
            `${completed} of ${condition.days} days of the period completed (day 1 = ${designation.periodStartDay}); due ${dueDay}`,
        ),
      };
    }
    case 'no_positive_in_period': {
      const fresh = newPositivesInPeriod(designation, facts.positives);
      return {
        kind: condition.kind,
        met: fresh.length === 0,
        dueDay: null,
        text: say(explain, () =>
          fresh.length === 0
            ? `no new positive since ${designation.periodStartDay}`
            : `${fresh.length} new positive(s) in the period: ${someCases(fresh)}`,
        ),
      };
    }
    case 'everyone_negative_on_day': {
      const day = calendarDayOf(designation, condition.day);
      const dueDay = addDays(day, 1);
      if (today <= day) {
        return {
          kind: condition.kind,
          met: false,
          dueDay,
          text: say(explain, () => `day ${condition.day} (${day}) has not ended`),
        };
      }
      const coverage = facts.coverage(day);
      if (!coverage) {
        return {
          kind: condition.kind,
          met: false,
          dueDay,
          text: say(explain, () => `no day-${condition.day} tests were ordered for ${day}`),
        };
      }
      const met = coverage.negative >= coverage.residents;
      return {
        kind: condition.kind,
        met,
        dueDay,
        text: say(explain, () =>
          met
            ? `all ${coverage.residents} residents negative on day ${condition.day} (${day})`
            : `${coverage.residents - coverage.negative} of ${coverage.residents} residents without a negative on day ${condition.day} (${day})`,
        ),
      };
    }
  }
}

/** The latest due day among results (the day the whole transition became due), or `fallback`. */
export function latestDueDay(results: readonly ConditionResult[], fallback: CalendarDay): CalendarDay {
  let due: CalendarDay | null = null;
  for (const r of results) if (r.dueDay && (!due || r.dueDay > due)) due = r.dueDay;
  return due ?? fallback;
}

/** The period days on which a designation's way out needs everyone tested (for ordering the tests). */
export function testDaysAhead(conditions: readonly ZoneCondition[]): number[] {
  return conditions.flatMap((c) => (c.kind === 'everyone_negative_on_day' ? [c.day] : []));
}
