import type { CityPlan } from '../../domain/registry/city-plan.ts';
import { syntheticCity } from '../../domain/registry/synthetic-city.ts';
import {
  bedRow,
  facilityRow,
  householdRow,
  organisationRow,
  personRow,
  placeRow,
  siteRow,
  type Row,
  type RowBatch,
} from '../../store/registry/rows.ts';
import { HmacSha256 } from '../kernel/hmac-sha256.ts';

export interface SeedStreamOptions {
  plan: CityPlan;
  /** ctx.secrets.idHashKey: national ids are hashed here and the clear numbers dropped. */
  idHashKey: Uint8Array;
  createdAt: number;
  /** People per batch (a batch is one transaction on SQLite). */
  batchPeople: number;
}

/**
 * The synthetic city as row batches ready for the bulk writer: the fixtures first, then homes
 * and people in batches of about `batchPeople` people with their households and places.
 */
export function* seedBatches(options: SeedStreamOptions): Generator<RowBatch> {
  const { createdAt, batchPeople } = options;
  const hmac = new HmacSha256(options.idHashKey);
  let places: Row[] = [];
  let households: Row[] = [];
  let people: Row[] = [];
  for (const chunk of syntheticCity(options.plan)) {
    if (chunk.organisations) {
      yield {
        places: (chunk.places ?? []).map(placeRow),
        organisations: chunk.organisations.map(organisationRow),
        sampling_sites: (chunk.sites ?? []).map(siteRow),
        facilities: (chunk.facilities ?? []).map(facilityRow),
        facility_beds: (chunk.beds ?? []).map(bedRow),
      };
      continue;
    }
    for (const p of chunk.places ?? []) places.push(placeRow(p));
    for (const h of chunk.households ?? []) households.push(householdRow(h));
    for (const p of chunk.people ?? []) {
      people.push(personRow(p, p.nationalId ? hmac.hex(p.nationalId) : null, createdAt));
    }
    if (people.length >= batchPeople) {
      yield { places, households, people };
      places = [];
      households = [];
      people = [];
    }
  }
  if (people.length || households.length || places.length) yield { places, households, people };
}
