import { addDays, dayOf, startOfDay } from '../time/calendar.ts';

/**
 * When exposure starts to count for a case: from the start of the calendar day `windowDays`
 * before onset — or before the sample date when the case has no symptoms (9th edition: 症状出现前
 * 4天 / 无症状者采样前4天). Calendar days, not 96 hours: tracers ask "where were you on the 9th".
 */
export function exposureWindowStart(
  input: { onsetAt: number | null; sampledAt: number },
  windowDays: number,
  timeZone: string,
): number {
  const reference = input.onsetAt ?? input.sampledAt;
  return startOfDay(addDays(dayOf(reference, timeZone), -windowDays), timeZone);
}

/** Hours a tracer has to finish a case's investigation after the case is reported (the 24 h). */
export const DEFAULT_INVESTIGATION_DEADLINE_HOURS = 24;

export function investigationDeadline(
  reportedAt: number,
  hours = DEFAULT_INVESTIGATION_DEADLINE_HOURS,
): number {
  return reportedAt + hours * 3_600_000;
}

/** An open investigation past its deadline — the monitoring rule's condition. */
export function isInvestigationOverdue(
  investigation: { status: string; deadlineAt: number },
  now: number,
): boolean {
  return investigation.status === 'open' && now >= investigation.deadlineAt;
}
