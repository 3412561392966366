import type { CalendarDay } from '../time/calendar.ts';
import { invalid } from '../errors.ts';
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

/** What a command user asks for by hand (a correction, a lockdown), already checked at the boundary. */
export interface ManualRequest {
  placeId: number;
  level: ZoneDesignation['level'];
  /** The level's first phase when absent. */
  phase?: string;
}

/**
 * A place designated by hand: the period restarts on the day; the level's start is kept if the
 * level is unchanged. With `keepIfAtLevel` (the batch form) a place already at that level and
 * phase, not held, is left as it is — null — so a retried batch changes nothing.
 * Throws when the phase is not one of the level's (field named by `field`).
 */
export function applyManual(
  phases: readonly string[],
  current: ZoneDesignation | null,
  request: ManualRequest,
  today: CalendarDay,
  now: number,
  options: { keepIfAtLevel: boolean; field?: string },
): DesignationDraft | null {
  const phase = request.phase ?? phases[0];
  if (!phases.includes(phase)) {
    throw invalid(options.field ?? 'phase', `not a phase of ${request.level}: ${phases.join(', ')}`, phase);
  }
  const sameLevel = current != null && current.level === request.level && current.hold == null;
  if (options.keepIfAtLevel && sameLevel && current.phase === phase) return null;
  return {
    id: current?.id ?? null,
    placeId: request.placeId,
    level: request.level,
    phase,
    periodStartDay: today,
    since: now,
    levelSince: sameLevel ? current.levelSince : now,
    lastPositiveDay: current?.lastPositiveDay ?? null,
    causeCaseIds: [],
    hold: null,
  };
}
