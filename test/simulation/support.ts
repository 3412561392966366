import { shanghaiDistricts } from '../../src/app/registry/reference-data.ts';
import { shippedRuleSet } from '../../src/domain/rules/catalogue.ts';
import { planCity } from '../../src/domain/registry/synthetic-city.ts';
import { OutbreakSimulation } from '../../src/domain/simulation/engine.ts';
import type { DayFigures } from '../../src/domain/simulation/figures.ts';
import { DEFAULT_PARAMETERS } from '../../src/domain/simulation/parameters.ts';
import { Population, type CityRecords } from '../../src/domain/simulation/population.ts';
import type { Scenario } from '../../src/domain/simulation/scenario.ts';
import { syntheticCityRecords } from '../../src/domain/simulation/synthetic-records.ts';
import { referenceByDate } from '../../src/app/simulation/reference.ts';

/** The synthetic city in memory, cached per (scale, seed) for the test file. */
const cities = new Map<string, CityRecords>();

export function cityRecords(scale: number, seed = 1): CityRecords {
  const key = `${scale}:${seed}`;
  let city = cities.get(key);
  if (!city) cities.set(key, (city = syntheticCityRecords(planCity(shanghaiDistricts(), { scale, seed }))));
  return city;
}

export function newSimulation(
  city: CityRecords,
  scenario: Scenario,
  seed: number,
  scale: number,
): OutbreakSimulation {
  return new OutbreakSimulation(new Population(city), {
    scenario,
    seed,
    parameters: DEFAULT_PARAMETERS,
    ruleSet: (name) => shippedRuleSet(name)!,
    scale,
    reference: referenceByDate(),
  });
}

/** Runs the model alone for `days` and returns its figures. */
export function runModel(
  city: CityRecords,
  scenario: Scenario,
  seed: number,
  scale: number,
  days: number,
): DayFigures[] {
  const sim = newSimulation(city, scenario, seed, scale);
  for (let d = 0; d < days; d++) sim.step();
  return sim.dailyFigures();
}

/** A short outbreak for tests: infections seeded in two districts, a round, a lab outage, beds opening. */
export const TEST_DRILL: Scenario = {
  name: 'test-drill',
  description: 'a small outbreak, a citywide round, a lab outage',
  start: '2022-04-01',
  ruleSet: 'shanghai-2022-05-16',
  events: [
    { at: '2022-04-01', kind: 'seed', perMillion: 4000, overDays: 1, districts: ['310104', '310115'] },
    { at: '2022-04-01', kind: 'beds', facilityKind: 'shelter_hospital', share: 0.5 },
    { at: '2022-04-02T08:00', kind: 'beds', facilityKind: 'shelter_hospital', share: 1 },
    { at: '2022-04-03T06:00', kind: 'round', name: '全市核酸筛查 (测试)', firstRound: true },
    { at: '2022-04-03T14:00', kind: 'lab_outage', share: 1, hours: 6 },
  ],
};
