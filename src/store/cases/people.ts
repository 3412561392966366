import type { Db } from './db.ts';
import { chunked } from './db.ts';

/** What intake needs to know about a person: where they live (and are picked up) and their risk. */
export interface PersonProfile {
  personId: number;
  districtId: number;
  streetId: number;
  committeeId: number | null;
  householdId: number | null;
  placeId: number | null;
  birthYear: number | null;
  vulnerable: string;
  /** The residence building's position, the pick-up point. */
  lng: number | null;
  lat: number | null;
}

/**
 * One person's profile. People are keyed by (district, id) on PostgreSQL (ADR 0003): with the
 * district known the read is a key look-up, so callers pass it when they have it; a wrong or
 * missing hint falls back to a read by id alone.
 */
export async function loadProfile(
  db: Db,
  personId: number,
  districtHint?: number | null,
): Promise<PersonProfile | undefined> {
  if (districtHint != null) {
    const hinted = (await loadProfiles(db, [personId], districtHint)).get(personId);
    if (hinted) return hinted;
  }
  return (await loadProfiles(db, [personId])).get(personId);
}

/** Profiles of the given people, optionally of one district (missing ids are absent from the map). */
export async function loadProfiles(
  db: Db,
  personIds: readonly number[],
  districtId?: number,
): Promise<Map<number, PersonProfile>> {
  const out = new Map<number, PersonProfile>();
  for (const chunk of chunked([...new Set(personIds)])) {
    const rows = await db
      .selectFrom('people as p')
      .leftJoin('places as pl', (j) =>
        j.onRef('pl.id', '=', 'p.place_id').onRef('pl.district_id', '=', 'p.district_id'),
      )
      .select([
        'p.id',
        'p.district_id',
        'p.street_id',
        'p.committee_id',
        'p.household_id',
        'p.place_id',
        'p.birth_year',
        'p.vulnerable',
        'pl.lng',
        'pl.lat',
      ])
      .where('p.id', 'in', chunk)
      .$if(districtId !== undefined, (q) => q.where('p.district_id', '=', districtId!))
      .execute();
    for (const r of rows) {
      out.set(r.id, {
        personId: r.id,
        districtId: r.district_id,
        streetId: r.street_id,
        committeeId: r.committee_id,
        householdId: r.household_id,
        placeId: r.place_id,
        birthYear: r.birth_year,
        vulnerable: r.vulnerable,
        lng: r.lng,
        lat: r.lat,
      });
    }
  }
  return out;
}
