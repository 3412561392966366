/**
 * 报 → 流调: what results set off. A positive single tube is a case (dated by its sampling day,
 * classified inside control or 社会面 at that moment); a positive pool or household tube puts its
 * members on a pool hold for a single-tube retest; an invalid tube is resampled. A case seals its
 * place (by the rule set's unit) and, after the tracing delay, its contacts go into quarantine:
 * household and workplace and venue co-visitors as close contacts, neighbours on nearby floors as
 * contacts of contacts.
 */
import type { Random } from '../random.ts';
import { foundInsideControl, mobility, MOBILITY } from './control.ts';
import type { TubeResult } from './lab.ts';
import type { ModelParameters } from './parameters.ts';
import { Population } from './population.ts';
import { CASE, NEVER, QUARANTINE, type SimState } from './state.ts';
import type { Visit } from './transmission.ts';

export type ExposureKind = 'household' | 'floor' | 'workplace' | 'venue';

export interface SimCase {
  person: number;
  sampledDay: number;
  reportedAt: number;
  insideControl: boolean;
  tubeCode: string;
}

export interface SimContact {
  person: number;
  degree: 'close' | 'secondary';
  exposure: ExposureKind;
  /** Venue place id for venue exposures. */
  venueId: number | null;
  /** Absolute minute of the exposure when known (venue visits). */
  at: number | null;
}

export interface TracedCase {
  case: number;
  day: number;
  contacts: SimContact[];
  /** Where the case went in the exposure window (venue visits), for the investigation's timeline. */
  visits: { venueId: number; at: number }[];
}

export interface ResultEffects {
  cases: SimCase[];
  poolPositives: number;
  resample: Set<number>;
}

export function applyResults(state: SimState, results: readonly TubeResult[]): ResultEffects {
  const out: ResultEffects = { cases: [], poolPositives: 0, resample: new Set() };
  for (const r of results) {
    const tube = r.tube;
    if (r.outcome === 'invalid') {
      for (const p of tube.members) out.resample.add(p);
      continue;
    }
    const day = Math.floor(r.resultAt / 1440);
    if (r.outcome === 'negative') {
      if (tube.purpose === 'retest') for (const p of tube.members) releaseHold(state, p);
      continue;
    }
    if (tube.members.length > 1 || (tube.purpose !== 'retest' && tube.capacity > 1)) {
      out.poolPositives++;
      for (const p of tube.members) {
        if (state.caseStatus[p] !== CASE.none || state.poolHoldFrom[p] !== NEVER) continue;
        state.poolHoldFrom[p] = day;
        state.poolHolds.push(p);
      }
      continue;
    }
    const person = tube.members[0];
    if (state.caseStatus[person] !== CASE.none) continue;
    const insideControl = foundInsideControl(state, person, r.sampledDay);
    state.caseStatus[person] = CASE.waiting;
    state.caseDay[person] = day;
    state.caseSampledDay[person] = r.sampledDay;
    releaseHold(state, person);
    state.recordPositiveHome(person, r.sampledDay, day);
    out.cases.push({
      person,
      sampledDay: r.sampledDay,
      reportedAt: r.resultAt,
      insideControl,
      tubeCode: tube.code,
    });
  }
  return out;
}

function releaseHold(state: SimState, person: number): void {
  if (state.poolHoldFrom[person] === NEVER) return;
  state.poolHoldFrom[person] = NEVER;
  const k = state.poolHolds.indexOf(person);
  if (k >= 0) state.poolHolds.splice(k, 1);
}

/**
 * Finds a case's contacts and starts their quarantine on `day` (close contacts to central
 * quarantine when the protocol says so: they wait at home until a transfer team takes them).
 * `recentVisits` holds the venue visits of the exposure window, by day.
 */
export function traceCase(
  state: SimState,
  c: SimCase,
  day: number,
  recentVisits: readonly (readonly Visit[])[],
  firstDayOfVisits: number,
  params: ModelParameters,
  random: Random,
): TracedCase {
  const pop = state.population;
  const person = c.person;
  const contacts: SimContact[] = [];
  const seen = new Set<number>([person]);
  const add = (
    j: number,
    degree: 'close' | 'secondary',
    exposure: ExposureKind,
    venueId: number | null = null,
    at: number | null = null,
  ) => {
    if (seen.has(j) || state.caseStatus[j] !== CASE.none) return;
    seen.add(j);
    contacts.push({ person: j, degree, exposure, venueId, at });
  };
  const rules = state.rules;
  for (const j of Population.membersOf(pop.households, pop.household[person])) {
    add(j, rules.householdIsClose ? 'close' : 'secondary', 'household');
  }
  const visits: { venueId: number; at: number }[] = [];
  const r = params.response;
  // Work and venues only matter if the case was out and about before the sample.
  const wasOut = mobility(state, person, c.sampledDay - 1) >= MOBILITY.limited || pop.keyWorker[person] > 0;
  if (wasOut && pop.workplace[person] >= 0) {
    const mates = Population.membersOf(pop.workplaces, pop.workplace[person]);
    const wanted = Math.min(r.workplaceContactsMax, Math.round(mates.length * r.workplaceContactsFound));
    for (let k = 0; k < wanted * 2 && contacts.length < 1000; k++) {
      add(mates[Math.floor(random.float() * mates.length)], 'close', 'workplace');
    }
  }
  recentVisits.forEach((dayVisits, k) => {
    const visitDay = firstDayOfVisits + k;
    for (let v = 0; v < dayVisits.length; v++) {
      const mine = dayVisits[v];
      if (mine.person !== person) continue;
      visits.push({ venueId: mine.venueId, at: visitDay * 1440 + mine.minute });
      for (const other of dayVisits) {
        if (
          other.venueId !== mine.venueId ||
          Math.abs(other.minute - mine.minute) > rules.coPresenceMinutes
        ) {
          continue;
        }
        if (random.chance(r.venueContactsFound)) {
          add(other.person, 'close', 'venue', mine.venueId, visitDay * 1440 + other.minute);
        }
      }
    }
  });
  if (rules.floorRadius != null) {
    const floor = pop.floor[person];
    for (const j of Population.membersOf(pop.buildings, pop.building[person])) {
      if (Math.abs(pop.floor[j] - floor) <= rules.floorRadius) add(j, 'secondary', 'floor');
    }
  }
  for (const contact of contacts) quarantine(state, contact.person, contact.degree, day);
  return { case: person, day, contacts, visits };
}

function quarantine(state: SimState, person: number, degree: 'close' | 'secondary', day: number): void {
  if (!state.controls.quarantine) return;
  const regime = degree === 'close' ? state.rules.close : state.rules.secondary;
  const until = day + regime.days;
  // Already quarantined as closely and for longer: nothing new (a close contact stays close).
  if (
    state.quarantineUntil[person] >= until &&
    (state.contactDegree[person] === 1 || degree === 'secondary')
  ) {
    return;
  }
  if (state.quarantineFrom[person] === NEVER) state.quarantined.push(person);
  state.quarantineFrom[person] = day;
  state.quarantineUntil[person] = until;
  state.contactDegree[person] = degree === 'close' ? 1 : 2;
  state.quarantineSetting[person] = regime.central ? QUARANTINE.central : QUARANTINE.home;
}
