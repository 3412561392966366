/**
 * The effect of control on a person on a given day, derived from the state: how far they move
 * (which mixing settings they take part in) and which control episodes Cordon would hold for
 * them (which decides whether a case is found inside control, by the rule set's kinds).
 * Sealed places and home quarantine keep people at home — they transmit only inside the
 * household; central quarantine and isolation take them out of the city's mixing entirely.
 */
import type { ControlKind } from '../kernel/control-episodes.ts';
import { LEVEL } from './rules-view.ts';
import { CASE, NEVER, QUARANTINE, type SimState } from './state.ts';

/** How far a person moves on a day. */
export const MOBILITY = {
  /** In a facility (isolation, central quarantine): no contact with the city. */
  away: 0,
  /** At home: household only (sealed, home quarantine, pool hold, waiting for transfer). */
  home: 1,
  /** Inside the compound (管控区, static management). */
  compound: 2,
  /** Limited movement (防范区). */
  limited: 3,
  free: 4,
} as const;

export function mobility(state: SimState, person: number, day: number): number {
  const status = state.caseStatus[person];
  if (status === CASE.admitted) return MOBILITY.away;
  if (status === CASE.waiting) return MOBILITY.home;
  if (state.controls.quarantine && state.inQuarantine(person, day)) {
    return state.quarantineSetting[person] === QUARANTINE.central && state.inFacility[person]
      ? MOBILITY.away
      : MOBILITY.home;
  }
  if (state.poolHoldFrom[person] !== NEVER) return MOBILITY.home;
  const level = state.residenceLevel(person, day);
  if (level >= LEVEL.sealed) return MOBILITY.home;
  if (level === LEVEL.controlled) return MOBILITY.compound;
  if (level === LEVEL.precaution) return MOBILITY.limited;
  return MOBILITY.free;
}

/** The control episodes a person has on `day` as Cordon would record them. */
export function controlKindsOn(state: SimState, person: number, day: number): ControlKind[] {
  const kinds: ControlKind[] = [];
  if (state.caseStatus[person] === CASE.admitted) kinds.push('isolation');
  if (state.controls.quarantine && state.inQuarantine(person, day)) kinds.push('quarantine');
  else if (state.controls.quarantine && inHomeMonitoring(state, person, day)) kinds.push('home_monitoring');
  if (state.poolHoldFrom[person] !== NEVER) kinds.push('pool_hold');
  const level = state.designatedResidence(person, day);
  if (level >= LEVEL.sealed) kinds.push('sealed_residence');
  else if (level === LEVEL.controlled) kinds.push('controlled_residence');
  return kinds;
}

export function inHomeMonitoring(state: SimState, person: number, day: number): boolean {
  const until = state.quarantineUntil[person];
  if (until === NEVER || day < until) return false;
  const regime = state.contactDegree[person] === 1 ? state.rules.close : state.rules.secondary;
  return day < until + regime.monitoringDays;
}

/** 社会面 or not: found inside closed-loop control iff a counting kind was active at sampling. */
export function foundInsideControl(state: SimState, person: number, sampledDay: number): boolean {
  return controlKindsOn(state, person, sampledDay).some((k) => state.rules.insideControl.has(k));
}

/** The quarantine or monitoring test due today, if any (day 1 = the first day of the phase). */
export function contactTestDue(state: SimState, person: number, day: number): boolean {
  const from = state.quarantineFrom[person];
  if (from === NEVER || day < from) return false;
  const regime = state.contactDegree[person] === 1 ? state.rules.close : state.rules.secondary;
  const until = state.quarantineUntil[person];
  if (day < until) return regime.testDays.includes(day - from + 1);
  return day < until + regime.monitoringDays && regime.monitoringTestDays.includes(day - until + 1);
}
