import type { ControlKind } from '../kernel/control-episodes.ts';
import { contactSchedule } from '../rules/contact-schedule.ts';
import type { ContactsSection } from '../rules/schema.ts';
import { addDays, dayOf, endOfDay, startOfDay, type CalendarDay } from '../time/calendar.ts';
import type { ContactDegree } from './types.ts';

export interface PlannedEpisode {
  kind: Extract<ControlKind, 'quarantine' | 'home_monitoring'>;
  setting: 'central' | 'home';
  fromAt: number;
  /** Exclusive end: 00:00 of the day after the phase's last day. */
  untilAt: number;
  firstDay: CalendarDay;
  lastDay: CalendarDay;
}

export interface PlannedTest {
  phase: PlannedEpisode['kind'];
  dayNumber: number;
  day: CalendarDay;
  /** A test day's sample is due by the end of that calendar day (24:00 local). */
  dueAt: number;
}

export interface QuarantinePlan {
  degree: ContactDegree;
  edition: ContactsSection['edition'];
  episodes: PlannedEpisode[];
  tests: PlannedTest[];
  /** Close contacts in central quarantine go to a quarantine hotel: they need a transfer order. */
  needsTransfer: boolean;
}

/**
 * A confirmed contact's plan from the active protocol edition, starting at `startAt`: day 1 is the
 * calendar day quarantine starts (../SPEC "Time"), the first phase runs from that instant, every
 * later phase from 00:00 of its first day. The phases and test days themselves come from the rule
 * set's schedule (domain/rules/contact-schedule.ts); this turns them into instants.
 */
export function quarantinePlan(
  contacts: ContactsSection,
  degree: ContactDegree,
  startAt: number,
  timeZone: string,
): QuarantinePlan {
  const firstDay = dayOf(startAt, timeZone);
  const schedule = contactSchedule(contacts, degree, firstDay);
  const episodes = schedule.phases.map((p, i) => ({
    kind: p.phase,
    setting: p.setting,
    fromAt: i === 0 ? startAt : startOfDay(p.firstDay, timeZone),
    untilAt: startOfDay(addDays(p.lastDay, 1), timeZone),
    firstDay: p.firstDay,
    lastDay: p.lastDay,
  }));
  const tests = schedule.tests.map((t) => ({
    phase: t.phase,
    dayNumber: t.dayNumber,
    day: t.day,
    dueAt: endOfDay(t.day, timeZone),
  }));
  const needsTransfer = episodes.some((e) => e.kind === 'quarantine' && e.setting === 'central');
  return { degree, edition: contacts.edition, episodes, tests, needsTransfer };
}
