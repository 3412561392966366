/**
 * The model's mutable state: per person (infection, case, quarantine, pool hold) and per place
 * (last positive, sealed since) as typed arrays; day numbers count from the scenario's first day
 * (day 0), -1 meaning "never". Control is derived from these on demand, never cached, so that
 * there is one truth about who is under control on a given day.
 */
import type { Population } from './population.ts';
import { LEVEL, zonePosition, type SimulationRules } from './rules-view.ts';

export const NEVER = -1;

/** Where an infection happened (for chains and the report). */
export const SETTING = {
  seed: 0,
  household: 1,
  building: 2,
  compound: 3,
  workplace: 4,
  venue: 5,
  community: 6,
  quarantine: 7,
} as const;

/** A case's path: reported (waiting at home) → admitted → discharged. */
export const CASE = { none: 0, waiting: 1, admitted: 2, discharged: 3 } as const;

/** Quarantine setting of a contact: 1 central (or waiting to be taken there), 2 at home. */
export const QUARANTINE = { none: 0, central: 1, home: 2 } as const;

/** What each district is under as a whole: normal life, static management (静态管理), or the precaution regime after it. */
export const AREA = { normal: 0, lockdown: 1, precaution: 2 } as const;

export class SimState {
  readonly infectedDay: Int16Array;
  readonly infectiousFrom: Int16Array;
  readonly infectiousUntil: Int16Array;
  readonly symptomatic: Uint8Array;
  readonly infector: Int32Array;
  readonly setting: Uint8Array;
  /** Day the case was reported (its positive single tube resulted), and the day it was sampled. */
  readonly caseDay: Int16Array;
  readonly caseSampledDay: Int16Array;
  readonly caseStatus: Uint8Array;
  readonly dischargeDay: Int16Array;
  readonly quarantineFrom: Int16Array;
  readonly quarantineUntil: Int16Array;
  readonly quarantineSetting: Uint8Array;
  /** 1 close contact (密接), 2 contact of a contact (次密接). */
  readonly contactDegree: Uint8Array;
  /** In a central quarantine bed (admitted), as opposed to waiting for the transfer. */
  readonly inFacility: Uint8Array;
  readonly poolHoldFrom: Int16Array;
  readonly lastSampledDay: Int16Array;
  /**
   * Per seal unit (building and compound arrays; the rule set's `sealUnit` says which count):
   * sampling day of the last positive living there, and the first day of its current period.
   */
  readonly buildingLastPositive: Int16Array;
  readonly buildingSealedFrom: Int16Array;
  readonly compoundLastPositive: Int16Array;
  readonly compoundSealedFrom: Int16Array;
  /** 04-11 holds: the day the rest of the compound moves on without its held buildings. */
  readonly compoundSplitFrom: Int16Array;
  /** 04-11 holds: the compound period (its first day) in which the building is held sealed. */
  readonly buildingHeldInPeriod: Int16Array;
  readonly area: Uint8Array;
  /** The day each district's `area` took effect, and the regime before it (a case is classified by its sampling day). */
  private readonly areaFrom: Int16Array;
  private readonly areaBefore: Uint8Array;
  /** People infected so far whose infection is not over yet (the transmission loop's working set). */
  active: number[] = [];
  /** People with a quarantine record whose monitoring is not over (pruned daily). */
  quarantined: number[] = [];
  /** People on a pool hold, awaiting their single-tube retest. */
  poolHolds: number[] = [];
  controls = { zones: true, quarantine: true, tracing: true };

  constructor(
    readonly population: Population,
    public rules: SimulationRules,
  ) {
    const n = population.size;
    const never = (make: (n: number) => Int16Array) => make(n).fill(NEVER);
    this.infectedDay = never((k) => new Int16Array(k));
    this.infectiousFrom = new Int16Array(n);
    this.infectiousUntil = new Int16Array(n);
    this.symptomatic = new Uint8Array(n);
    this.infector = new Int32Array(n).fill(NEVER);
    this.setting = new Uint8Array(n);
    this.caseDay = never((k) => new Int16Array(k));
    this.caseSampledDay = never((k) => new Int16Array(k));
    this.caseStatus = new Uint8Array(n);
    this.dischargeDay = never((k) => new Int16Array(k));
    this.quarantineFrom = never((k) => new Int16Array(k));
    this.quarantineUntil = never((k) => new Int16Array(k));
    this.quarantineSetting = new Uint8Array(n);
    this.contactDegree = new Uint8Array(n);
    this.inFacility = new Uint8Array(n);
    this.poolHoldFrom = never((k) => new Int16Array(k));
    this.lastSampledDay = never((k) => new Int16Array(k));
    const buildings = population.buildingIds.length;
    const compounds = population.compoundIds.length;
    this.buildingLastPositive = new Int16Array(buildings).fill(NEVER);
    this.buildingSealedFrom = new Int16Array(buildings).fill(NEVER);
    this.compoundLastPositive = new Int16Array(compounds).fill(NEVER);
    this.compoundSealedFrom = new Int16Array(compounds).fill(NEVER);
    this.compoundSplitFrom = new Int16Array(compounds).fill(NEVER);
    this.buildingHeldInPeriod = new Int16Array(buildings).fill(NEVER);
    this.area = new Uint8Array(population.districtCount());
    this.areaFrom = new Int16Array(population.districtCount());
    this.areaBefore = new Uint8Array(population.districtCount());
  }

  /** Puts a district under a regime from `day` on (static management, precaution, normal life). */
  setArea(district: number, area: number, day: number): void {
    if (this.area[district] === area) return;
    this.areaBefore[district] = this.area[district];
    this.areaFrom[district] = day;
    this.area[district] = area;
  }

  /** The district's regime on `day`: the one before the last change for a day before it. */
  areaOn(district: number, day: number): number {
    return day < this.areaFrom[district] ? this.areaBefore[district] : this.area[district];
  }

  /** A compound: where sites are assigned and sampling rotates (people of one compound go together). */
  unitOf(person: number): number {
    return this.population.compound[person];
  }

  /** The zone level that limits what a person does (none while zones are switched off). */
  zoneLevel(person: number, day: number): number {
    return this.controls.zones ? this.designatedLevel(person, day) : LEVEL.free;
  }

  /**
   * The zone level of a person's home on `day` as Cordon designates it — also while the scenario
   * has zones limit nobody (March 2022's targeted control): Cordon seals a case's place by its
   * rules whatever the model does, and samplers and its classification go by that. The seal
   * unit's level (the compound, or the building); under a 04-11 hold the held building stays
   * sealed to its day while the rest of the compound moves on.
   */
  designatedLevel(person: number, day: number): number {
    const pop = this.population;
    if (this.rules.sealUnit === 'building') {
      const b = pop.building[person];
      return unitLevel(this.rules.zoneSteps, this.buildingSealedFrom[b], this.buildingLastPositive[b], day);
    }
    const c = pop.compound[person];
    const level = this.compoundLevel(c, day);
    const hold = this.rules.buildingHold;
    const period = this.compoundSealedFrom[c];
    if (
      hold &&
      period !== NEVER &&
      this.buildingHeldInPeriod[pop.building[person]] === period &&
      day < period + hold.untilPeriodDay
    ) {
      return LEVEL.sealed;
    }
    return level;
  }

  /** A compound's own level (its held buildings aside). */
  private compoundLevel(c: number, day: number): number {
    const period = this.compoundSealedFrom[c];
    const split = this.compoundSplitFrom[c];
    const hold = this.rules.buildingHold;
    if (hold && split !== NEVER && day >= split) {
      return unitLevel(hold.restOfCompound, split, this.compoundLastPositive[c], day);
    }
    return unitLevel(this.rules.zoneSteps, period, this.compoundLastPositive[c], day);
  }

  /**
   * Whether the person's home is on a period day whose way out needs everyone negative that day
   * (04-11: day 13 of a seal, day 6 of the controlled phase): Cordon orders the day's test.
   */
  zoneTestDay(person: number, day: number): boolean {
    if (this.rules.sealUnit === 'building') return false;
    const c = this.population.compound[person];
    const period = this.compoundSealedFrom[c];
    if (period === NEVER || period > day) return false;
    const split = this.compoundSplitFrom[c];
    const hold = this.rules.buildingHold;
    const position =
      hold && split !== NEVER && day >= split
        ? zonePosition(hold.restOfCompound, split, this.compoundLastPositive[c], day)
        : zonePosition(this.rules.zoneSteps, period, this.compoundLastPositive[c], day);
    return position.step?.testDay != null && day - position.periodStart + 1 === position.step.testDay;
  }

  /** Where a person lives, as a level: the place's zone or the district's regime, whichever is stricter. */
  residenceLevel(person: number, day: number): number {
    return this.withArea(person, day, this.zoneLevel(person, day));
  }

  /** The same by Cordon's designations, zones in effect or not (what samplers and records go by). */
  designatedResidence(person: number, day: number): number {
    return this.withArea(person, day, this.designatedLevel(person, day));
  }

  private withArea(person: number, day: number, zone: number): number {
    const area = this.areaOn(this.population.district[person], day);
    const byArea =
      area === AREA.lockdown ? LEVEL.controlled : area === AREA.precaution ? LEVEL.precaution : LEVEL.free;
    return Math.max(zone, byArea);
  }

  /**
   * A new positive living in the person's home, sampled on `sampledDay`, reported (its case made,
   * which is when Cordon seals) on `day` — by src/domain/zones/on-positive.ts: a place not under a
   * seal starts a period today; a positive sampled before the period began only dates the quiet
   * days; in a compound's closed phase under a 04-11 hold only the building is held; anything
   * else restarts the period today.
   */
  recordPositiveHome(person: number, sampledDay: number, day: number): void {
    const pop = this.population;
    if (this.rules.sealUnit === 'building') {
      const b = pop.building[person];
      this.restartUnless(this.buildingSealedFrom, this.buildingLastPositive, b, sampledDay, day);
      return;
    }
    const c = pop.compound[person];
    const period = this.compoundSealedFrom[c];
    const hold = this.rules.buildingHold;
    const level = period === NEVER ? LEVEL.free : this.compoundLevel(c, day);
    if (
      hold &&
      level >= LEVEL.controlled &&
      sampledDay >= period &&
      this.compoundSplitFrom[c] === NEVER &&
      zonePosition(this.rules.zoneSteps, period, this.compoundLastPositive[c], day).step ===
        this.rules.zoneSteps[0]
    ) {
      // The closed phase: the building is held; the compound's clock goes on, and at the end of
      // the phase the rest of it moves on by its own way (a new positive there cannot pass it).
      this.buildingHeldInPeriod[pop.building[person]] = period;
      this.compoundLastPositive[c] = Math.max(this.compoundLastPositive[c], sampledDay);
      const closedDays = this.rules.zoneSteps[0].periodDays ?? 0;
      this.compoundSplitFrom[c] = period + closedDays;
      return;
    }
    if (this.restartUnless(this.compoundSealedFrom, this.compoundLastPositive, c, sampledDay, day)) {
      this.compoundSplitFrom[c] = NEVER;
    }
  }

  /** Restarts a unit's period today unless the positive was sampled before it began; true if restarted. */
  private restartUnless(
    sealedFrom: Int16Array,
    lastPositive: Int16Array,
    unit: number,
    sampledDay: number,
    day: number,
  ): boolean {
    const active =
      sealedFrom[unit] !== NEVER &&
      unitLevel(this.rules.zoneSteps, sealedFrom[unit], lastPositive[unit], day) >= LEVEL.controlled;
    lastPositive[unit] = Math.max(lastPositive[unit], sampledDay);
    if (active && sampledDay < sealedFrom[unit]) return false;
    sealedFrom[unit] = day;
    return true;
  }

  inQuarantine(person: number, day: number): boolean {
    return (
      this.quarantineFrom[person] !== NEVER &&
      this.quarantineFrom[person] <= day &&
      day < this.quarantineUntil[person]
    );
  }

  onPoolHold(person: number): boolean {
    return this.poolHoldFrom[person] !== NEVER;
  }

  isCase(person: number): boolean {
    return this.caseStatus[person] !== CASE.none;
  }

  /** Whether the person is infectious on `day`, and how much (0 when not). */
  isInfectiousOn(person: number, day: number): boolean {
    return (
      this.infectedDay[person] !== NEVER &&
      this.infectiousFrom[person] <= day &&
      day < this.infectiousUntil[person]
    );
  }
}

function unitLevel(
  steps: SimulationRules['zoneSteps'],
  periodStart: number,
  lastPositive: number,
  day: number,
): number {
  if (periodStart === NEVER || periodStart > day) return LEVEL.free;
  return zonePosition(steps, periodStart, lastPositive, day).level;
}
