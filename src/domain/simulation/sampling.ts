/**
 * Who is sampled today (采), in which round, at which site, into which tube — the day's scans,
 * exactly as the sampler actors will send them. Priorities follow practice: single-tube retests
 * of positive pools, resamples and quarantine test days first; then sealed places door to door
 * (one tube per household); then controlled places and the day's screening rounds (10- or
 * 20-in-1 as the rule set says); routine duties last. Capacity is the sites' hourly capacity.
 */
import { DRAW, keyedUniform } from './hash.ts';
import { MOBILITY, contactTestDue, mobility } from './control.ts';
import { onsetDay } from './disease.ts';
import type { ModelParameters } from './parameters.ts';
import { Population } from './population.ts';
import { LEVEL } from './rules-view.ts';
import { SAMPLING_ENDS_MINUTE, type SiteBook } from './sites.ts';
import { CASE, NEVER, type SimState } from './state.ts';

export type RoundKind = 'zones' | 'screening' | 'duty' | 'clinic';
export type TubePurpose = 'pooled' | 'household' | 'retest';

/** A round to open today (one per kind, plus one per screening event). */
export interface PlannedRound {
  key: string;
  kind: RoundKind;
  name: string;
  /** District indexes in scope; empty = the whole city. */
  districts: number[];
  firstRound: boolean;
  /** Minute of the day the round opens (a round called at 14:00 samples from 14:00). */
  startMinute: number;
}

export interface SimTube {
  code: string;
  /** The tube's number at its site that day (its code without the run's prefix, as a number). */
  serial: number;
  roundKey: string;
  siteId: number;
  labOrgId: number;
  purpose: TubePurpose;
  capacity: number;
  members: number[];
  /** Minute of the day each member was sampled. */
  minutes: number[];
  /** Lab priority: 0 single tubes that decide a case, 1 sealed places, 2 screening. */
  priority: number;
}

interface Candidate {
  person: number;
  round: string;
  /** People in one tube (1 = single), or 0 for one tube per household. */
  pool: number;
  retest: boolean;
  door: boolean;
  priority: number;
  /** Not sampled before this minute of the day (the round's opening). */
  notBefore: number;
  /** Goes to a district testing station rather than a site at home. */
  station: boolean;
}

export interface SamplingInput {
  day: number;
  /** yymmdd of the day, for tube codes. */
  dayCode: string;
  tubePrefix: string;
  screeningRounds: PlannedRound[];
  /** Streets (indexes) whose residents are screened today around yesterday's new cases. */
  streetsToScreen: Set<number>;
  resample: Set<number>;
  seed: number;
}

export function planSampling(
  state: SimState,
  input: SamplingInput,
  sites: SiteBook,
  params: ModelParameters,
): { rounds: PlannedRound[]; tubes: SimTube[] } {
  const pop = state.population;
  const { day } = input;
  const r = params.response;
  const pool = state.rules.pool;
  const taken = new Uint8Array(pop.size);
  const candidates: Candidate[] = [];
  const add = (
    person: number,
    round: string,
    size: number,
    retest: boolean,
    door: boolean,
    priority: number,
    notBefore = 0,
    station = false,
  ) => {
    if (
      taken[person] ||
      (state.caseStatus[person] !== CASE.none && state.caseStatus[person] !== CASE.discharged)
    ) {
      return;
    }
    taken[person] = 1;
    candidates.push({ person, round, pool: size, retest, door, priority, notBefore, station });
  };
  const due = (every: number, unit: number) => every > 0 && (day + unit) % every === 0;

  // 0: single tubes that decide cases.
  for (const person of state.poolHolds) {
    if (state.poolHoldFrom[person] < day) add(person, 'zones', 1, true, true, 0);
  }
  for (const person of input.resample) add(person, 'zones', 1, true, true, 0);
  if (state.controls.quarantine) {
    for (const person of state.quarantined) {
      if (contactTestDue(state, person, day)) add(person, 'zones', pool.quarantine, false, true, 0);
    }
  }
  for (const person of state.active) {
    if (state.infectiousFrom[person] > day || state.designatedResidence(person, day) < LEVEL.controlled) {
      continue;
    }
    if (keyedUniform(input.seed, DRAW.antigen, person, day) < r.antigenPerDay) {
      add(person, 'zones', 1, false, true, 0);
    }
  }
  for (const person of state.active) {
    const onset = onsetDay(state, person, params.disease);
    if (onset === NEVER || onset > day || mobility(state, person, day) < MOBILITY.limited) continue;
    if (keyedUniform(input.seed, DRAW.clinic, person, day) < r.feverClinicPerDay) {
      add(person, 'clinic', 1, false, false, 0, 0, true);
    }
  }
  // 1–3: residents by where they live.
  const screened = new Map<number, PlannedRound>();
  for (const round of input.screeningRounds) {
    for (const d of round.districts.length ? round.districts : allDistricts(pop)) screened.set(d, round);
  }
  for (let person = 0; person < pop.size; person++) {
    if (taken[person]) continue;
    const m = mobility(state, person, day);
    if (m === MOBILITY.away) continue;
    const unit = state.unitOf(person);
    const level = state.designatedResidence(person, day);
    // A period day whose way out needs everyone negative (04-11's day 13): everyone is tested.
    const testDay = level >= LEVEL.controlled && state.zoneTestDay(person, day);
    if (level >= LEVEL.sealed) {
      if (testDay || due(r.sealedEveryDays, unit)) {
        // Couriers and riders go in single tubes everywhere (the rule set's override).
        const size = pop.keyWorker[person] === 2 ? 1 : pool.sealedPerHousehold ? 0 : pool.sealed;
        add(person, 'zones', size, false, true, 1);
      }
      continue;
    }
    const round = screened.get(pop.district[person]);
    if (round) {
      const size =
        level === LEVEL.controlled ? pool.controlled : round.firstRound ? pool.firstRound : pool.elsewhere;
      add(person, round.key, pop.keyWorker[person] === 2 ? 1 : size, false, false, 2, round.startMinute);
    } else if (level === LEVEL.controlled) {
      const every =
        state.designatedLevel(person, day) === LEVEL.controlled ? r.controlledEveryDays : r.lockdownEveryDays;
      if (testDay || due(every, unit)) {
        add(person, 'zones', pop.keyWorker[person] === 2 ? 1 : pool.controlled, false, false, 2);
      }
    } else if (input.streetsToScreen.has(pop.street[person])) {
      add(person, 'streets', pop.keyWorker[person] === 2 ? 1 : pool.firstRound, false, false, 2);
    } else if (level === LEVEL.precaution && due(r.precautionEveryDays, unit)) {
      add(person, 'duty', pop.keyWorker[person] === 2 ? 1 : pool.elsewhere, false, false, 3);
    } else if (pop.keyWorker[person] > 0 && due(r.keyWorkerEveryDays, person)) {
      add(person, 'duty', pop.keyWorker[person] === 2 ? 1 : pool.elsewhere, false, false, 3, 0, true);
    }
  }
  candidates.sort((a, b) => a.priority - b.priority);
  const tubes = packTubes(state, candidates, input, sites);
  const used = new Set(tubes.map((t) => t.roundKey));
  const rounds: PlannedRound[] = [
    {
      key: 'zones',
      kind: 'zones',
      name: '封控管控区及隔离人员核酸',
      districts: [],
      firstRound: false,
      startMinute: 0,
    },
    {
      key: 'clinic',
      kind: 'clinic',
      name: '发热门诊及单管检测',
      districts: [],
      firstRound: false,
      startMinute: 0,
    },
    {
      key: 'streets',
      kind: 'screening',
      name: '病例所在街镇筛查',
      districts: [],
      firstRound: true,
      startMinute: 0,
    },
    {
      key: 'duty',
      kind: 'duty',
      name: '重点人群及防范区常态化核酸',
      districts: [],
      firstRound: false,
      startMinute: 0,
    },
    ...input.screeningRounds,
  ];
  return { rounds: rounds.filter((x) => used.has(x.key)), tubes };
}

function allDistricts(pop: Population): number[] {
  return Array.from({ length: pop.districtCount() }, (_, i) => i);
}

/** Sites and times first (capacity decides who is sampled today), then tubes filled in scan order. */
function packTubes(
  state: SimState,
  candidates: readonly Candidate[],
  input: SamplingInput,
  sites: SiteBook,
): SimTube[] {
  const pop = state.population;
  const tubes: SimTube[] = [];
  // Open tubes per site, keyed by round and pool size, or by household (numbers: no garbage per scan).
  const open = new Map<number, Map<number, SimTube>>();
  const roundIndex = new Map<string, number>();
  const seq = new Map<number, number>();
  sites.reset();
  for (const c of candidates) {
    const placed = c.station
      ? sites.takeStation(pop.district[c.person])
      : sites.take(pop.street[c.person], c.door, state.unitOf(c.person));
    if (!placed) continue;
    const { site } = placed;
    const minute = Math.min(Math.max(placed.minute, c.notBefore), SAMPLING_ENDS_MINUTE - 1);
    state.lastSampledDay[c.person] = input.day;
    const household = c.pool === 0;
    let r = roundIndex.get(c.round);
    if (r == null) roundIndex.set(c.round, (r = roundIndex.size));
    const key = household ? -1 - pop.household[c.person] : r * 100 + c.pool;
    let atSite = open.get(site.id);
    if (!atSite) open.set(site.id, (atSite = new Map()));
    let tube = c.pool === 1 ? undefined : atSite.get(key);
    if (!tube || tube.members.length >= tube.capacity) {
      const n = (seq.get(site.id) ?? 0) + 1;
      seq.set(site.id, n);
      const capacity = household
        ? Population.membersOf(pop.households, pop.household[c.person]).length
        : c.pool;
      tube = {
        code: `${input.tubePrefix}${input.dayCode}${String(site.id).padStart(5, '0')}${String(n).padStart(5, '0')}`,
        serial: n,
        roundKey: c.round,
        siteId: site.id,
        labOrgId: sites.labOf(site.id) ?? 0,
        purpose: c.retest ? 'retest' : household ? 'household' : 'pooled',
        capacity,
        members: [],
        minutes: [],
        priority: c.priority === 0 ? 0 : c.priority === 1 ? 1 : 2,
      };
      tubes.push(tube);
      if (c.pool !== 1) atSite.set(key, tube);
    }
    tube.members.push(c.person);
    tube.minutes.push(minute);
  }
  return tubes;
}
