/**
 * One day of transmission. Each infectious person makes infectious contacts in the settings
 * their control allows — household always (unless away in a facility), building and compound
 * when they may leave the flat, workplace, venues and the wider city when they may leave the
 * compound — and a contact infects its target if the target is susceptible and present in that
 * setting too. Venue visits are drawn first: they are also the check-ins residents scan (场所码),
 * which tracing uses.
 */
import type { Random } from '../random.ts';
import { MOBILITY, mobility } from './control.ts';
import { infect, infectiousness } from './disease.ts';
import type { ModelParameters } from './parameters.ts';
import { Population } from './population.ts';
import { NEVER, SETTING, type SimState } from './state.ts';

export interface Visit {
  person: number;
  venueId: number;
  /** Minutes after local midnight. */
  minute: number;
}

export function poisson(lambda: number, random: Random): number {
  if (lambda <= 0) return 0;
  if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * random.normal()));
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = random.float();
  while (p > limit) {
    k++;
    p *= random.float();
  }
  return k;
}

/** Who visits which venue today, sorted by venue then time (free people often, limited ones less). */
export function drawVisits(state: SimState, day: number, params: ModelParameters, random: Random): Visit[] {
  const pop = state.population;
  const visits: Visit[] = [];
  const share = params.mixing.venueVisitShare;
  for (let d = 0; d < pop.districtCount(); d++) {
    const venues = pop.venuesByDistrict[d];
    if (venues.length === 0) continue;
    for (const person of Population.membersOf(pop.districts, d)) {
      const m = mobility(state, person, day);
      if (m < MOBILITY.limited) continue;
      const p = m === MOBILITY.free ? share : share * params.mixing.precautionMovement;
      if (!random.chance(p)) continue;
      visits.push({
        person,
        venueId: venues[Math.floor(random.float() * venues.length)],
        minute: random.int(10 * 60, 21 * 60),
      });
    }
  }
  return visits.sort((a, b) => a.venueId - b.venueId || a.minute - b.minute || a.person - b.person);
}

export function transmit(
  state: SimState,
  day: number,
  visits: readonly Visit[],
  params: ModelParameters,
  random: Random,
): number {
  const pop = state.population;
  const mix = params.mixing;
  let infections = 0;
  const tryInfect = (target: number, source: number, setting: number, minMobility: number) => {
    if (target === source || state.infectedDay[target] !== NEVER) return;
    const m = mobility(state, target, day);
    if (m < minMobility) return;
    // Someone in a precaution zone is out less: a contact in the open finds them with that share.
    if (minMobility >= MOBILITY.limited && m === MOBILITY.limited && !random.chance(mix.precautionMovement)) {
      return;
    }
    if (infect(state, target, day, source, setting, params.disease, random)) infections++;
  };
  const spread = (
    source: number,
    group: Int32Array,
    lambda: number,
    setting: number,
    minMobility: number,
  ) => {
    if (group.length <= 1) return;
    for (let k = poisson(lambda, random); k > 0; k--) {
      tryInfect(group[Math.floor(random.float() * group.length)], source, setting, minMobility);
    }
  };

  // The working set, in infection order (deterministic), without those whose infectious days are over.
  state.active = state.active.filter((i) => state.infectiousUntil[i] > day);
  const sources = state.active.filter((i) => state.infectiousFrom[i] <= day);
  for (const i of sources) {
    const w = infectiousness(state, i, day, params.disease);
    if (w <= 0) continue;
    const m = mobility(state, i, day);
    const household = Population.membersOf(pop.households, pop.household[i]);
    if (m === MOBILITY.away) {
      // Isolation and central quarantine: only family members quarantined in the same room.
      for (const j of household) {
        if (
          j !== i &&
          state.infectedDay[j] === NEVER &&
          mobility(state, j, day) === MOBILITY.away &&
          random.chance(1 - Math.exp(-mix.household * mix.quarantineTogether * w))
        ) {
          if (infect(state, j, day, i, SETTING.quarantine, params.disease, random)) infections++;
        }
      }
      continue;
    }
    const hazard = mix.household * w * (m <= MOBILITY.compound ? mix.homeboundHousehold : 1);
    for (const j of household) {
      if (j === i || state.infectedDay[j] !== NEVER || mobility(state, j, day) === MOBILITY.away) continue;
      if (
        random.chance(1 - Math.exp(-hazard)) &&
        infect(state, j, day, i, SETTING.household, params.disease, random)
      ) {
        infections++;
      }
    }
    if (m === MOBILITY.home) continue;
    const inCompound = m === MOBILITY.compound;
    const neighbours = m === MOBILITY.limited ? mix.precautionNeighbours : 1;
    spread(
      i,
      Population.membersOf(pop.buildings, pop.building[i]),
      w * (inCompound ? mix.controlledBuilding : mix.building * neighbours),
      SETTING.building,
      MOBILITY.compound,
    );
    spread(
      i,
      Population.membersOf(pop.compounds, pop.compound[i]),
      w * (inCompound ? mix.controlledCompound : mix.compound * neighbours),
      SETTING.compound,
      MOBILITY.compound,
    );
    const limited = m === MOBILITY.limited ? mix.precautionMovement : 1;
    // Key workers (delivery, supermarkets, medical…) keep working under static management.
    const works = pop.workplace[i] >= 0 && (m >= MOBILITY.limited || pop.keyWorker[i] > 0);
    if (works) {
      spread(
        i,
        Population.membersOf(pop.workplaces, pop.workplace[i]),
        mix.workplace * w * limited * (inCompound ? 0.5 : 1),
        SETTING.workplace,
        MOBILITY.compound,
      );
    }
    if (m < MOBILITY.limited) continue;
    for (let k = poisson(mix.community * w * limited, random); k > 0; k--) {
      const cross = random.chance(mix.crossDistrictShare);
      const d = cross ? pop.district[Math.floor(random.float() * pop.size)] : pop.district[i];
      const members = Population.membersOf(pop.districts, d);
      tryInfect(members[Math.floor(random.float() * members.length)], i, SETTING.community, MOBILITY.limited);
    }
  }
  infections += venueTransmission(state, day, visits, params, random);
  return infections;
}

/** Infectious visitors infect other visitors of the same venue within an hour of their visit. */
function venueTransmission(
  state: SimState,
  day: number,
  visits: readonly Visit[],
  params: ModelParameters,
  random: Random,
): number {
  let infections = 0;
  let start = 0;
  for (let v = 0; v < visits.length; v++) {
    if (v > 0 && visits[v].venueId !== visits[v - 1].venueId) start = v;
    const source = visits[v].person;
    const w = infectiousness(state, source, day, params.disease);
    if (w <= 0 || state.infectedDay[source] === day) continue;
    let end = v;
    while (end + 1 < visits.length && visits[end + 1].venueId === visits[v].venueId) end++;
    let lo = v;
    while (lo > start && visits[lo - 1].minute >= visits[v].minute - 60) lo--;
    let hi = v;
    while (hi < end && visits[hi + 1].minute <= visits[v].minute + 60) hi++;
    if (hi === lo) continue;
    for (let k = poisson(params.mixing.venue * w, random); k > 0; k--) {
      const target = visits[lo + Math.floor(random.float() * (hi - lo + 1))].person;
      if (target !== source && infect(state, target, day, source, SETTING.venue, params.disease, random)) {
        infections++;
      }
    }
  }
  return infections;
}
