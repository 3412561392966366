/**
 * The synthetic city's records as the model needs them, straight from the generator — the same
 * records `cordon seed` writes, so a model run in memory (tests, calibration) and a run over the
 * seeded database see the same people with the same ids.
 */
import { syntheticCity, type CityPlan } from '../registry/synthetic-city.ts';
import type { CityRecords } from './population.ts';

export function syntheticCityRecords(plan: CityPlan): CityRecords {
  const out: CityRecords = {
    cityId: plan.city.id,
    referenceYear: plan.referenceYear,
    districts: plan.districts.map((d) => ({
      id: d.id,
      code: d.code,
      name: d.name,
      population: d.population,
    })),
    people: [],
    places: [],
    sites: [],
    organisations: [],
    facilities: [],
  };
  const bedsByFacility = new Map<number, number>();
  for (const chunk of syntheticCity(plan)) {
    for (const p of chunk.people ?? []) {
      out.people.push({
        id: p.id,
        districtId: p.districtId,
        streetId: p.streetId,
        householdId: p.householdId,
        placeId: p.placeId,
        floor: p.floor,
        workplaceOrgId: p.workplaceOrgId,
        occupation: p.occupation,
        birthYear: p.birthYear,
      });
    }
    for (const p of chunk.places ?? []) {
      out.places.push({
        id: p.id,
        kind: p.kind,
        districtId: p.districtId,
        streetId: p.streetId,
        parentPlaceId: p.parentPlaceId,
      });
    }
    for (const s of chunk.sites ?? []) {
      out.sites.push({
        id: s.id,
        organisationId: s.organisationId,
        districtId: s.districtId,
        streetId: s.streetId,
        kind: s.kind,
        hourlyCapacity: s.hourlyCapacity,
      });
    }
    for (const o of chunk.organisations ?? []) {
      out.organisations.push({
        id: o.id,
        kind: o.kind,
        districtId: o.districtId,
        sector: o.sector,
        dailyCapacity: o.dailyCapacity,
      });
    }
    for (const b of chunk.beds ?? []) {
      bedsByFacility.set(b.facilityId, (bedsByFacility.get(b.facilityId) ?? 0) + b.total);
    }
    for (const f of chunk.facilities ?? []) {
      out.facilities.push({
        id: f.id,
        organisationId: f.organisationId,
        districtId: f.districtId,
        kind: f.kind,
        beds: 0,
      });
    }
  }
  for (const f of out.facilities) f.beds = bedsByFacility.get(f.id) ?? 0;
  return out;
}
