/**
 * The synthetic city (合成城市) for demos, tests and benchmarks: Shanghai's districts at their
 * census populations times a scale, with streets, committees, homes, people, workplaces and the
 * response's capacity. Pure and deterministic: the same plan (reference data, scale, seed)
 * yields the same records in the same order, on any machine.
 *
 * Order of the stream: first the city's fixtures (workplaces, labs, sites, facilities…, which
 * people refer to), then each district's homes and people, committee by committee.
 */
import { Random } from '../random.ts';
import type { CityPlan } from './city-plan.ts';
import { cityFixtures } from './fixtures.ts';
import { newIdCounters, type CityChunk } from './records.ts';
import { districtResidents } from './residents.ts';

export function* syntheticCity(plan: CityPlan): Generator<CityChunk> {
  const random = new Random(`content:${plan.seed}`);
  const ids = newIdCounters();
  const fixtures = cityFixtures(plan, random.fork('fixtures'), ids);
  yield {
    places: fixtures.places,
    organisations: fixtures.organisations,
    sites: fixtures.sites,
    facilities: fixtures.facilities,
    beds: fixtures.beds,
  };
  for (const district of plan.districts) {
    yield* districtResidents(plan, district, fixtures, ids, random.fork(`district:${district.code}`));
  }
}

export type { CityPlan, CityOptions, DistrictReference } from './city-plan.ts';
export { planCity, plannedRegions } from './city-plan.ts';
