import type { ZoneLevel } from '../rules/zones-schema.ts';
import type { CalendarDay } from '../time/calendar.ts';

export type { ZoneLevel } from '../rules/zones-schema.ts';

/**
 * The words of zones (三区: 封控区 sealed / 管控区 controlled / 防范区 precaution; under
 * `national-9th` the risk areas 高/中/低 map onto the same three levels). Pure types: the rules
 * that move a place between them are in the rule set's `zones` section, read by the functions in
 * this folder.
 */

/** Strictest first: a resident's zone is the strictest designation covering their building. */
export const LEVEL_ORDER: readonly ZoneLevel[] = ['sealed', 'controlled', 'precaution'];

export interface LevelAndPhase {
  level: ZoneLevel;
  phase: string;
}

/**
 * A place's zone designation as it stands: the level and phase, the period clock (day 1 = the
 * calendar day the place entered the period), the cases that caused it and the last positive
 * living there. One designation per place; its history is kept as changes.
 */
export interface ZoneDesignation extends LevelAndPhase {
  id: number;
  placeId: number;
  /** Day 1 of the current period (../SPEC "Time"). */
  periodStartDay: CalendarDay;
  /** The instant the place entered its current level and phase. */
  since: number;
  /** The instant it entered its current level (a phase change or a restart within the level keeps it). */
  levelSince: number;
  /** Sampling day of the last positive living there, if any. */
  lastPositiveDay: CalendarDay | null;
  /** Cases that started the current period (they are not "new" positives within it). */
  causeCaseIds: readonly string[];
  /**
   * A building held sealed inside a compound (rule `buildingStaysSealed`): the compound's
   * designation and the last day of the hold; null for ordinary designations.
   */
  hold: { compoundDesignationId: number; untilDay: CalendarDay } | null;
}

/** A positive who lives in a place: a case, dated by its sampling day (../SPEC "Time"). */
export interface PositiveResident {
  caseId: string;
  buildingId: number;
  sampledDay: CalendarDay;
}

/** Where a case lives: the building and, when it has one, its compound. */
export interface Residence {
  buildingId: number;
  compoundId: number | null;
}

/** Why a designation changed; `text` is the sentence shown in history and proposals. */
export type ZoneChangeReason =
  | { code: 'case_lives_here'; caseIds: string[]; text: string }
  | { code: 'new_positive_restart'; caseIds: string[]; text: string }
  | { code: 'positive_noted'; caseIds: string[]; text: string }
  | { code: 'building_held'; caseIds: string[]; text: string }
  | { code: 'case_stayed_here'; caseIds: string[]; text: string }
  | { code: 'step_down'; text: string; conditions: ConditionResult[] }
  | { code: 'rest_of_compound'; text: string; conditions: ConditionResult[] }
  | { code: 'hold_ended'; text: string }
  | { code: 'superseded'; text: string }
  | { code: 'manual'; text: string };

/** One condition of a transition, evaluated on a day, with the day it was or will be met. */
export interface ConditionResult {
  kind: string;
  met: boolean;
  /** The day the condition is (or was) due, when it is a matter of time. */
  dueDay: CalendarDay | null;
  text: string;
}

/**
 * A change the rules call for. `designate` creates or re-seals a place (period restarts),
 * `note_positive` records a positive without moving the place, `hold_building` seals a building
 * inside a compound on its own, `end` closes a designation (a hold that ran out, or one superseded).
 */
export type ZoneChange =
  | {
      kind: 'designate';
      placeId: number;
      to: LevelAndPhase;
      periodStartDay: CalendarDay;
      positiveDay: CalendarDay | null;
      causeCaseIds: string[];
      reason: ZoneChangeReason;
    }
  | { kind: 'note_positive'; designationId: number; positiveDay: CalendarDay; reason: ZoneChangeReason }
  | {
      kind: 'hold_building';
      buildingId: number;
      compoundDesignationId: number;
      to: LevelAndPhase;
      periodStartDay: CalendarDay;
      untilDay: CalendarDay;
      positiveDay: CalendarDay;
      causeCaseIds: string[];
      reason: ZoneChangeReason;
    }
  | { kind: 'end'; designationId: number; reason: ZoneChangeReason };

/** A step-down the rules allow today, for a user to approve (or applied at once when the set says so). */
export interface ZoneProposal {
  designationId: number;
  placeId: number;
  from: LevelAndPhase;
  /** null: the designation ends (a held building rejoins its compound's zone). */
  to: LevelAndPhase | null;
  restartPeriod: boolean;
  /** The day the step-down became due (start of that day). */
  dueDay: CalendarDay;
  reason: ZoneChangeReason;
}

/** Test coverage of a place's residents on one day: how many live there, how many tested negative. */
export interface DayCoverage {
  residents: number;
  negative: number;
}
