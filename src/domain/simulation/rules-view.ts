/**
 * What the epidemic model reads from a rule set: the same bundle Cordon decides with, so a
 * simulated place is sealed as long as the platform keeps it sealed, a contact is tested on the
 * days the protocol says, and a case counts as found inside control by the same kinds. The zone
 * table is followed with Cordon's own day counting (src/domain/zones/conditions.ts): a period's
 * day 1 is the day the place entered it, "N days completed" falls at the start of day N + 1,
 * "N days without a positive" at the start of the day after the Nth quiet day — every step-down
 * approved on the morning it falls due (the simulated command post decides before sampling).
 * Samplers pool by these levels; where the model and Cordon disagree, Cordon refuses the pool.
 */
import type { ControlKind } from '../kernel/control-episodes.ts';
import type { RuleBundle } from '../rules/schema.ts';

export const LEVEL = { free: 0, precaution: 1, controlled: 2, sealed: 3 } as const;

/** One phase of a place's way out, from the level a new positive puts it in. */
export interface ZoneStep {
  /** 3 sealed, 2 controlled. */
  level: number;
  /** Leaves after this many whole quiet days after the last positive's sampling day (or never by it). */
  quietDays: number | null;
  /** Leaves after this many days of its period (or never by it). */
  periodDays: number | null;
  /** The way out starts a new period (day 1 = the day it is applied). */
  restartPeriod: boolean;
  /** A period day on which every resident must test negative (a day-N test is ordered). */
  testDay: number | null;
}

/** Where a place stands on a day: its level, the step and the step's period start. */
export interface ZonePosition {
  level: number;
  step: ZoneStep | null;
  periodStart: number;
}

export interface ContactRegimeView {
  /** Quarantine days, central or at home, and the test days within them. */
  days: number;
  central: boolean;
  testDays: number[];
  /** Home monitoring after quarantine (days; test days counted from its first day). */
  monitoringDays: number;
  monitoringTestDays: number[];
}

export interface SimulationRules {
  name: string;
  sealUnit: 'compound' | 'building';
  /**
   * 04-11: a positive in the first (closed) phase of its compound's seal holds only its building
   * sealed, to this day of the compound's period, and the rest of the compound goes on by
   * `restOfCompound` from the end of that phase.
   */
  buildingHold: { untilPeriodDay: number; restOfCompound: ZoneStep[] } | null;
  zoneSteps: ZoneStep[];
  /** Pool sizes by where a person is; sealed may go one tube per household. */
  pool: {
    sealed: number;
    sealedPerHousehold: boolean;
    quarantine: number;
    controlled: number;
    elsewhere: number;
    firstRound: number;
  };
  close: ContactRegimeView;
  secondary: ContactRegimeView;
  householdIsClose: boolean;
  /** Floors above and below (and the same floor) whose residents become secondary contacts. */
  floorRadius: number | null;
  coPresenceMinutes: number;
  /** Exposure counts from this many days before the sample (asymptomatic) or onset. */
  exposureDays: number;
  insideControl: Set<ControlKind>;
}

const LEVEL_OF = {
  sealed: LEVEL.sealed,
  controlled: LEVEL.controlled,
  precaution: LEVEL.precaution,
} as const;

export function simulationRules(bundle: RuleBundle): SimulationRules {
  const { pooling, contacts, community, zones } = bundle;
  const regime = (r: RuleBundle['contacts']['close']): ContactRegimeView => ({
    days: r.quarantine.days,
    central: r.quarantine.setting === 'central',
    testDays: [...r.quarantine.testDays],
    monitoringDays: r.homeMonitoring?.days ?? 0,
    monitoringTestDays: [...(r.homeMonitoring?.testDays ?? [])],
  });
  return {
    name: bundle.name,
    sealUnit: zones.sealUnit,
    buildingHold: zones.buildingStaysSealed
      ? {
          untilPeriodDay: zones.buildingStaysSealed.untilPeriodDay,
          restOfCompound: zoneSteps(zones, zones.buildingStaysSealed.restOfCompoundTo),
        }
      : null,
    zoneSteps: zoneSteps(zones),
    pool: {
      sealed: pooling.byZone.sealed.size,
      sealedPerHousehold: pooling.byZone.sealed.perHousehold,
      quarantine: pooling.byZone.quarantine.size,
      controlled: pooling.byZone.controlled.size,
      elsewhere: pooling.byZone.elsewhere.size,
      firstRound: pooling.firstRoundSize,
    },
    close: regime(contacts.close),
    secondary: regime(contacts.secondary),
    householdIsClose: contacts.householdIsClose,
    floorRadius: contacts.floorRadiusUnderLockdown,
    coPresenceMinutes: contacts.coPresenceWindowMinutes,
    exposureDays: contacts.exposureWindowDays,
    insideControl: new Set(community.insideControlKinds),
  };
}

/**
 * The transition table as a chain of steps from `start` (the level a new positive puts a place
 * in, by default), each with the conditions of time that end it. Conditions of fact
 * (`no_positive_in_period`, everyone negative on day N) are taken as met: a new positive restarts
 * the place anyway, and samplers test everyone on the day-N days.
 */
export function zoneSteps(
  zones: RuleBundle['zones'],
  start: { level: string; phase: string } = zones.onNewPositive,
): ZoneStep[] {
  const steps: ZoneStep[] = [];
  let at = start;
  for (let guard = 0; guard < 10 && at.level !== 'precaution'; guard++) {
    const t = zones.transitions.find((x) => x.from.level === at.level && x.from.phase === at.phase);
    if (!t) break;
    const step: ZoneStep = {
      level: LEVEL_OF[at.level as keyof typeof LEVEL_OF],
      quietDays: null,
      periodDays: null,
      restartPeriod: t.restartPeriod,
      testDay: null,
    };
    for (const w of t.when) {
      if (w.kind === 'days_without_positive') step.quietDays = w.days;
      if (w.kind === 'period_days_completed') step.periodDays = w.days;
      if (w.kind === 'everyone_negative_on_day') step.testDay = w.day;
    }
    steps.push(step);
    at = t.to;
  }
  return steps;
}

/**
 * A place's position on `day`: sealed on `periodStart` (day 1), its last positive sampled on
 * `lastPositive`, stepping down on each step's due day. Past the last step: precaution.
 */
export function zonePosition(
  steps: readonly ZoneStep[],
  periodStart: number,
  lastPositive: number,
  day: number,
): ZonePosition {
  let start = periodStart;
  let from = periodStart;
  for (const step of steps) {
    let due = from;
    if (step.quietDays != null) due = Math.max(due, lastPositive + step.quietDays + 1);
    if (step.periodDays != null) due = Math.max(due, start + step.periodDays);
    if (day < due) return { level: step.level, step, periodStart: start };
    from = due;
    if (step.restartPeriod) start = due;
  }
  return { level: LEVEL.precaution, step: null, periodStart: start };
}
