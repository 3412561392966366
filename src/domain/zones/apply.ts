import type { CalendarDay } from '../time/calendar.ts';
import type { ZoneChange, ZoneDesignation } from './types.ts';

/**
 * How a change from on-positive.ts turns into a designation's new state. Pure; the app layer
 * loads the current designation, calls these and stores the result with its history.
 */

export type DesignationDraft = Omit<ZoneDesignation, 'id'> & { id: number | null };

function laterDay(a: CalendarDay | null, b: CalendarDay | null): CalendarDay | null {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}

/** A place designated or re-sealed: the period restarts; the level's start is kept if unchanged. */
export function applyDesignate(
  current: ZoneDesignation | null,
  change: Extract<ZoneChange, { kind: 'designate' }>,
  now: number,
): DesignationDraft {
  const sameLevel = current != null && current.level === change.to.level && current.hold == null;
  return {
    id: current?.id ?? null,
    placeId: change.placeId,
    level: change.to.level,
    phase: change.to.phase,
    periodStartDay: change.periodStartDay,
    since: now,
    levelSince: sameLevel ? current.levelSince : now,
    lastPositiveDay: laterDay(current?.lastPositiveDay ?? null, change.positiveDay),
    causeCaseIds: change.causeCaseIds,
    hold: null,
  };
}

/** A positive recorded without moving the place: it still dates "days without a positive". */
export function applyNotePositive(current: ZoneDesignation, positiveDay: CalendarDay): ZoneDesignation {
  return { ...current, lastPositiveDay: laterDay(current.lastPositiveDay, positiveDay) };
}

/** A building held sealed inside its compound, on the compound's period clock. */
export function applyHold(
  current: ZoneDesignation | null,
  change: Extract<ZoneChange, { kind: 'hold_building' }>,
  now: number,
): DesignationDraft {
  return {
    id: current?.id ?? null,
    placeId: change.buildingId,
    level: change.to.level,
    phase: change.to.phase,
    periodStartDay: change.periodStartDay,
    since: now,
    levelSince: current && current.level === change.to.level && current.hold ? current.levelSince : now,
    lastPositiveDay: laterDay(current?.lastPositiveDay ?? null, change.positiveDay),
    causeCaseIds: change.causeCaseIds,
    hold: { compoundDesignationId: change.compoundDesignationId, untilDay: change.untilDay },
  };
}

/** A designation ended (a hold superseded by its compound's new seal): back to the resting level. */
export function applyEnd(
  current: ZoneDesignation,
  restingPhase: string,
  today: CalendarDay,
  now: number,
): ZoneDesignation {
  return {
    ...current,
    level: 'precaution',
    phase: restingPhase,
    since: now,
    levelSince: now,
    periodStartDay: today,
    causeCaseIds: [],
    hold: null,
  };
}
