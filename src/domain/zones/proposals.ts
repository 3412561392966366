import type { ZonesSection, ZoneTransition } from '../rules/zones-schema.ts';
import type { CalendarDay } from '../time/calendar.ts';
import { plusDays as addDays } from './days.ts';
import { evaluateCondition, latestDueDay, newPositivesInPeriod, type PlaceFacts } from './conditions.ts';
import type { ConditionResult, LevelAndPhase, ZoneDesignation, ZoneProposal } from './types.ts';

/**
 * The daily step-down proposals (../SPEC "Zones": "transitions are proposed automatically and
 * applied by an authorised user, or automatically where configured"). Pure: the designation, the
 * place's facts and the day in, at most one proposal out, plus why the others do not apply yet.
 */

export interface CompoundFacts extends PlaceFacts {
  /** Buildings of this compound currently held sealed on their own (`buildingStaysSealed`). */
  heldBuildingIds: readonly number[];
}

export interface Evaluation {
  proposal: ZoneProposal | null;
  /** Transitions from the current phase that are not (yet) allowed, with their conditions. */
  blocked: { to: LevelAndPhase; conditions: ConditionResult[] }[];
}

function samePhase(a: LevelAndPhase, b: LevelAndPhase): boolean {
  return a.level === b.level && a.phase === b.phase;
}

function describe(to: LevelAndPhase | null, zones: ZonesSection): string {
  if (!to) return 'its compound';
  return `${zones.levels[to.level].label.en} (${to.phase})`;
}

/**
 * `explain: false` (the city-wide daily run): conditions are judged without their sentences and
 * `blocked` stays empty; a proposal still carries its full reason.
 */
export function proposeZoneTransitions(
  zones: ZonesSection,
  designation: ZoneDesignation,
  facts: CompoundFacts,
  today: CalendarDay,
  options: { explain?: boolean } = {},
): Evaluation {
  if (designation.hold) return evaluateHold(designation, today);
  const explain = options.explain ?? true;

  const blocked: Evaluation['blocked'] = [];
  const outgoing = zones.transitions.filter((t) => samePhase(t.from, phaseUnder(zones, designation)));
  for (const transition of outgoing) {
    const judged = transition.when.map((c) => evaluateCondition(c, designation, facts, today, explain));
    if (judged.every((c) => c.met)) {
      const conditions = explain
        ? judged
        : transition.when.map((c) => evaluateCondition(c, designation, facts, today));
      return { proposal: stepDown(zones, designation, transition, conditions, today), blocked };
    }
    if (explain) blocked.push({ to: transition.to, conditions: judged });
  }

  const rest = restOfCompound(zones, designation, facts, outgoing, today);
  return { proposal: rest, blocked };
}

/**
 * The phase whose ways out apply to a designation under the active rule set. A place designated
 * under an earlier set may stand in a phase this set does not have (04-11's "sealed, home
 * monitoring" under 05-16): it is read as this set's first phase of the same level — the one a
 * new positive leads to when it is that level — keeping its period and quiet days. Without this
 * such a place had no way out at all and stayed sealed for good after the switch.
 */
export function phaseUnder(zones: ZonesSection, designation: LevelAndPhase): LevelAndPhase {
  if (designation.level === 'precaution') return designation;
  if (zones.transitions.some((t) => samePhase(t.from, designation))) return designation;
  if (zones.onNewPositive.level === designation.level) return zones.onNewPositive;
  const sameLevel = zones.transitions.find((t) => t.from.level === designation.level);
  return sameLevel ? sameLevel.from : designation;
}

function stepDown(
  zones: ZonesSection,
  designation: ZoneDesignation,
  transition: ZoneTransition,
  conditions: ConditionResult[],
  today: CalendarDay,
): ZoneProposal {
  return {
    designationId: designation.id,
    placeId: designation.placeId,
    from: { level: designation.level, phase: designation.phase },
    to: transition.to,
    restartPeriod: transition.restartPeriod,
    dueDay: latestDueDay(conditions, today),
    reason: {
      code: 'step_down',
      text: `step down to ${describe(transition.to, zones)}: ${conditions.map((c) => c.text).join('; ')}`,
      conditions,
    },
  };
}

/**
 * 04-11's last row: a compound sealed in the hold phase whose only new positives lived in
 * buildings now held on their own moves to `restOfCompoundTo` when its phase would otherwise end
 * — every condition of a way out holds except "no positive in the period", and each of those
 * positives is in a held building. The new level's day 1 is the day it is applied.
 */
function restOfCompound(
  zones: ZonesSection,
  designation: ZoneDesignation,
  facts: CompoundFacts,
  outgoing: readonly ZoneTransition[],
  today: CalendarDay,
): ZoneProposal | null {
  const hold = zones.buildingStaysSealed;
  if (!hold || facts.heldBuildingIds.length === 0) return null;
  if (designation.level !== 'sealed' || designation.phase !== hold.duringPhase) return null;
  const held = new Set(facts.heldBuildingIds);
  const fresh = newPositivesInPeriod(designation, facts.positives);
  if (fresh.length === 0 || fresh.some((p) => !held.has(p.buildingId))) return null;
  for (const transition of outgoing) {
    const others = transition.when.filter((c) => c.kind !== 'no_positive_in_period');
    if (!others.every((c) => evaluateCondition(c, designation, facts, today, false).met)) continue;
    const conditions = others.map((c) => evaluateCondition(c, designation, facts, today));
    conditions.push({
      kind: 'positives_only_in_held_buildings',
      met: true,
      dueDay: null,
      text: `new positives only in the ${held.size} held building(s)`,
    });
    return {
      designationId: designation.id,
      placeId: designation.placeId,
      from: { level: designation.level, phase: designation.phase },
      to: hold.restOfCompoundTo,
      restartPeriod: true,
      dueDay: latestDueDay(conditions, today),
      reason: {
        code: 'rest_of_compound',
        text: `the rest of the compound moves to ${describe(hold.restOfCompoundTo, zones)}: ${conditions.map((c) => c.text).join('; ')}`,
        conditions,
      },
    };
  }
  return null;
}

/** A held building rejoins its compound's zone the day after its hold's last day. */
function evaluateHold(designation: ZoneDesignation, today: CalendarDay): Evaluation {
  const hold = designation.hold!;
  const due = today > hold.untilDay;
  const condition: ConditionResult = {
    kind: 'hold_ran_out',
    met: due,
    dueDay: addDays(hold.untilDay, 1),
    text: `held sealed to ${hold.untilDay}`,
  };
  if (!due) {
    return {
      proposal: null,
      blocked: [{ to: { level: designation.level, phase: designation.phase }, conditions: [condition] }],
    };
  }
  return {
    proposal: {
      designationId: designation.id,
      placeId: designation.placeId,
      from: { level: designation.level, phase: designation.phase },
      to: null,
      restartPeriod: false,
      dueDay: condition.dueDay!,
      reason: {
        code: 'hold_ended',
        text: `the building's hold ran to ${hold.untilDay}; it rejoins its compound's zone`,
      },
    },
    blocked: [],
  };
}

/**
 * The designation after a proposal is applied on `today` at instant `now`. A proposal without a
 * target ends the designation: the place stands at precaution and follows its compound again.
 */
export function applyProposal(
  zones: ZonesSection,
  designation: ZoneDesignation,
  proposal: Pick<ZoneProposal, 'to' | 'restartPeriod'>,
  today: CalendarDay,
  now: number,
): ZoneDesignation {
  if (!proposal.to) {
    const phase = zones.levels.precaution.phases[0];
    return {
      ...designation,
      level: 'precaution',
      phase,
      since: now,
      levelSince: now,
      periodStartDay: today,
      causeCaseIds: [],
      hold: null,
    };
  }
  const levelChanged = proposal.to.level !== designation.level;
  return {
    ...designation,
    level: proposal.to.level,
    phase: proposal.to.phase,
    since: now,
    levelSince: levelChanged ? now : designation.levelSince,
    periodStartDay: proposal.restartPeriod ? today : designation.periodStartDay,
    causeCaseIds: proposal.restartPeriod ? [] : designation.causeCaseIds,
  };
}

/** Conditions that depend on time alone (no positives, no test results). */
const TIME_CONDITIONS = new Set(['days_without_positive', 'period_days_completed']);

/**
 * Whether any way out of the designation's phase could be open today judging by time alone — a
 * cheap first look for the city-wide daily run: a place that cannot move today needs none of its
 * positives or test results loaded. (Holds: the day after the hold's last day.)
 */
export function mayMoveToday(zones: ZonesSection, designation: ZoneDesignation, today: CalendarDay): boolean {
  if (designation.hold) return today > designation.hold.untilDay;
  const none = { positives: [], coverage: () => undefined };
  const phase = phaseUnder(zones, designation);
  return zones.transitions.some(
    (t) =>
      samePhase(t.from, phase) &&
      t.when.every(
        (c) => !TIME_CONDITIONS.has(c.kind) || evaluateCondition(c, designation, none, today, false).met,
      ),
  );
}
