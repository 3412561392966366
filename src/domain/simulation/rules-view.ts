/**
 * What the epidemic model reads from a rule set: the same bundle Cordon decides with, so a
 * simulated place is sealed as long as the platform would keep it sealed, a contact is tested on
 * the days the protocol says, and a case counts as found inside control by the same kinds. The
 * zone table is reduced to "level by quiet days since the last positive", which is what the
 * transitions amount to when every step-down is approved on the day it falls due.
 */
import type { ControlKind } from '../kernel/control-episodes.ts';
import type { RuleBundle } from '../rules/schema.ts';

export const LEVEL = { free: 0, precaution: 1, controlled: 2, sealed: 3 } as const;

export interface ZoneStep {
  /** 3 sealed, 2 controlled. */
  level: number;
  /** The place is at this level while fewer than this many quiet days have passed. */
  untilQuietDays: number;
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
  /** The building with a positive stays sealed while the rest of its compound is controlled. */
  buildingStays: boolean;
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
    buildingStays: zones.buildingStaysSealed != null,
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
 * Follows the transition table from the level a new positive puts a place in, counting days from
 * the last positive: `days_without_positive: N` falls at N quiet days; `period_days_completed: N`
 * at N days after its period began (the seal, or the previous step when that one restarted it).
 */
export function zoneSteps(zones: RuleBundle['zones']): ZoneStep[] {
  const steps: ZoneStep[] = [];
  let at = zones.onNewPositive;
  let periodStart = 0;
  let elapsed = 0;
  for (let guard = 0; guard < 10; guard++) {
    const t = zones.transitions.find((x) => x.from.level === at.level && x.from.phase === at.phase);
    if (!t) break;
    let due = elapsed;
    for (const w of t.when) {
      if (w.kind === 'days_without_positive') due = Math.max(due, w.days);
      if (w.kind === 'period_days_completed') due = Math.max(due, periodStart + w.days);
    }
    const level = LEVEL_OF[at.level];
    const last = steps[steps.length - 1];
    if (last && last.level === level) last.untilQuietDays = due;
    else steps.push({ level, untilQuietDays: due });
    elapsed = due;
    if (t.restartPeriod) periodStart = due;
    at = t.to;
    if (at.level === 'precaution') break;
  }
  return steps.filter((s) => s.level > LEVEL.precaution);
}

/** A place's level, `quiet` whole days after the sampling day of its last positive. */
export function zoneLevelAfter(steps: readonly ZoneStep[], quiet: number): number {
  for (const s of steps) if (quiet < s.untilQuietDays) return s.level;
  return LEVEL.precaution;
}
