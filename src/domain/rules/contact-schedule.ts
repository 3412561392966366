import { addDays, type CalendarDay } from '../time/calendar.ts';
import type { ContactsSection } from './schema.ts';

export type ContactRole = 'close' | 'secondary';

export interface ScheduledPhase {
  phase: 'quarantine' | 'home_monitoring';
  setting: 'central' | 'home';
  firstDay: CalendarDay;
  /** Last calendar day of the phase (inclusive). */
  lastDay: CalendarDay;
}

export interface ScheduledTest {
  phase: 'quarantine' | 'home_monitoring';
  /** Day number within its phase (day 1 = the phase's first day). */
  dayNumber: number;
  day: CalendarDay;
}

/**
 * A contact's quarantine and monitoring phases and test days from the active protocol edition,
 * starting on `firstDay` (day 1 = the day quarantine starts, ../SPEC "Time"). Home monitoring
 * starts the day after quarantine's last day. Tracing turns these into control episodes and
 * quarantine_day test orders.
 */
export function contactSchedule(
  contacts: ContactsSection,
  role: ContactRole,
  firstDay: CalendarDay,
): { phases: ScheduledPhase[]; tests: ScheduledTest[] } {
  const regime = contacts[role];
  const phases: ScheduledPhase[] = [];
  const tests: ScheduledTest[] = [];
  let start = firstDay;
  const parts = [
    { phase: 'quarantine' as const, spec: regime.quarantine },
    { phase: 'home_monitoring' as const, spec: regime.homeMonitoring },
  ];
  for (const { phase, spec } of parts) {
    if (!spec) continue;
    phases.push({ phase, setting: spec.setting, firstDay: start, lastDay: addDays(start, spec.days - 1) });
    for (const dayNumber of spec.testDays) {
      tests.push({ phase, dayNumber, day: addDays(start, dayNumber - 1) });
    }
    start = addDays(start, spec.days);
  }
  return { phases, tests };
}
