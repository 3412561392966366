import type { ZonesSection } from '../rules/zones-schema.ts';
import { addDays, type CalendarDay } from '../time/calendar.ts';
import { LEVEL_ORDER, type Residence, type ZoneChange, type ZoneDesignation } from './types.ts';

/**
 * What a new positive living in a place does to its zone (../SPEC "Zones", first and last rows of
 * the transition table):
 * - any level → the rule set's `onNewPositive` (sealed, closed), period restarting at day 1 = today;
 * - but inside a compound whose seal is in the phase named by `buildingStaysSealed` (04-11: the
 *   closed phase), only the positive's building is held sealed — to the given day of the
 *   compound's period — and the compound's own clock does not restart: the rest of the compound
 *   moves on (see proposals.ts);
 * - a positive sampled before the current sealed period began is not new to it (the seal came
 *   after the sample): it is recorded, and it still dates "days without a positive".
 */

/** The place a case's residence puts under a seal: its compound or the building itself. */
export function sealUnitOf(residence: Residence, zones: Pick<ZonesSection, 'sealUnit'>): number {
  return zones.sealUnit === 'compound' && residence.compoundId != null
    ? residence.compoundId
    : residence.buildingId;
}

export interface PositiveInput {
  caseId: string;
  residence: Residence;
  sampledDay: CalendarDay;
}

export interface CurrentDesignations {
  /** The seal unit's designation, if it has one. */
  unit: ZoneDesignation | null;
  /** The building's own designation when the unit is its compound (a hold), if any. */
  building: ZoneDesignation | null;
}

export function decideOnPositive(
  zones: ZonesSection,
  positive: PositiveInput,
  current: CurrentDesignations,
  today: CalendarDay,
): ZoneChange[] {
  const unitId = sealUnitOf(positive.residence, zones);
  const caseIds = [positive.caseId];
  const unit = current.unit;
  const target = zones.onNewPositive;

  if (!unit || !isActive(unit)) {
    return [
      designate(
        unitId,
        zones,
        today,
        positive,
        `case ${positive.caseId} lives here (sampled ${positive.sampledDay})`,
        'case_lives_here',
      ),
    ];
  }

  const hold = zones.buildingStaysSealed;
  const insideCompound = unitId !== positive.residence.buildingId;
  if (
    hold &&
    insideCompound &&
    unit.level === 'sealed' &&
    unit.phase === hold.duringPhase &&
    positive.sampledDay >= unit.periodStartDay
  ) {
    const changes: ZoneChange[] = [
      {
        kind: 'note_positive',
        designationId: unit.id,
        positiveDay: positive.sampledDay,
        reason: {
          code: 'positive_noted',
          caseIds,
          text: `case ${positive.caseId} in building ${positive.residence.buildingId}; that building is held sealed`,
        },
      },
    ];
    const untilDay = addDays(unit.periodStartDay, hold.untilPeriodDay - 1);
    if (current.building?.hold) {
      changes.push({
        kind: 'note_positive',
        designationId: current.building.id,
        positiveDay: positive.sampledDay,
        reason: {
          code: 'positive_noted',
          caseIds,
          text: `case ${positive.caseId} lives here; the building stays sealed to ${current.building.hold.untilDay}`,
        },
      });
    } else {
      changes.push({
        kind: 'hold_building',
        buildingId: positive.residence.buildingId,
        compoundDesignationId: unit.id,
        to: target,
        periodStartDay: unit.periodStartDay,
        untilDay,
        positiveDay: positive.sampledDay,
        causeCaseIds: caseIds,
        reason: {
          code: 'building_held',
          caseIds,
          text: `case ${positive.caseId} during the compound's ${hold.duringPhase} phase: this building stays sealed to day ${hold.untilPeriodDay} (${untilDay}) while the rest of the compound moves on`,
        },
      });
    }
    return changes;
  }

  if (unit.level === target.level && positive.sampledDay < unit.periodStartDay) {
    return [
      {
        kind: 'note_positive',
        designationId: unit.id,
        positiveDay: positive.sampledDay,
        reason: {
          code: 'positive_noted',
          caseIds,
          text: `case ${positive.caseId} was sampled ${positive.sampledDay}, before this period began; the seal already covers it`,
        },
      },
    ];
  }

  const restart = designate(
    unitId,
    zones,
    today,
    positive,
    `new positive: case ${positive.caseId} (sampled ${positive.sampledDay}); the clock restarts at day 1`,
    'new_positive_restart',
  );
  return [restart];
}

/** A designation that still matters: anything above precaution, or a hold. */
export function isActive(designation: Pick<ZoneDesignation, 'level' | 'hold'>): boolean {
  return designation.level !== 'precaution' || designation.hold != null;
}

function designate(
  placeId: number,
  zones: ZonesSection,
  today: CalendarDay,
  positive: PositiveInput,
  text: string,
  code: 'case_lives_here' | 'new_positive_restart',
): ZoneChange {
  return {
    kind: 'designate',
    placeId,
    to: zones.onNewPositive,
    periodStartDay: today,
    positiveDay: positive.sampledDay,
    causeCaseIds: [positive.caseId],
    reason: { code, caseIds: [positive.caseId], text },
  };
}

/**
 * A case stayed in a place without living there (national-9th medium risk): the place gets the
 * set's `onCaseStay` level unless it already stands at that level or stricter. Null when the set
 * does not use stays.
 */
export function decideOnCaseStay(
  zones: ZonesSection,
  placeId: number,
  caseId: string,
  current: ZoneDesignation | null,
  today: CalendarDay,
): ZoneChange | null {
  const target = zones.onCaseStay;
  if (!target) return null;
  if (current && isActive(current) && levelRank(current.level) <= levelRank(target.level)) return null;
  return {
    kind: 'designate',
    placeId,
    to: target,
    periodStartDay: today,
    positiveDay: null,
    causeCaseIds: [caseId],
    reason: { code: 'case_stayed_here', caseIds: [caseId], text: `case ${caseId} stayed here` },
  };
}

function levelRank(level: ZoneDesignation['level']): number {
  return LEVEL_ORDER.indexOf(level);
}
