import type { CityRecords } from '../../domain/simulation/population.ts';
import { DomainError } from '../../domain/errors.ts';
import type { AppContext } from '../context.ts';

/**
 * Reads the city the server holds into the model's records, once per run: the registry is the
 * one source of who lives where, whether it was seeded (`cordon seed`) or imported from CSV.
 * Also returns each person's opaque ref and district — what their phone's code carries, which the
 * simulated residents show to samplers. Read-only; at scale 0.01 a couple of seconds.
 */
export interface LoadedCity {
  records: CityRecords;
  /** Person id → [ref, district id] for person codes. */
  codes: Map<number, [string, number]>;
}

const PAGE = 50_000;

export async function loadCity(ctx: AppContext, referenceYear: number): Promise<LoadedCity> {
  const db = ctx.store.db;
  const city = ctx.regions.city();
  if (!city) {
    throw new DomainError(
      'conflict',
      'the database holds no city: seed one first (cordon seed) or let cordon simulate do it',
    );
  }
  const districts = await db
    .selectFrom('regions')
    .select(['id', 'code', 'name', 'population'])
    .where('level', '=', 'district')
    .orderBy('id')
    .execute();
  const records: CityRecords = {
    cityId: Number(city.id),
    referenceYear,
    districts: districts.map((d) => ({
      id: Number(d.id),
      code: d.code,
      name: d.name,
      population: Number(d.population),
    })),
    people: [],
    places: [],
    sites: [],
    organisations: [],
    facilities: [],
  };
  const codes = new Map<number, [string, number]>();
  // Keyset pages by id: bounded memory per query, and the same order on SQLite and PostgreSQL.
  for (let after = 0; ;) {
    const rows = await db
      .selectFrom('people')
      .select([
        'id',
        'district_id',
        'street_id',
        'household_id',
        'place_id',
        'floor',
        'workplace_org_id',
        'occupation',
        'birth_year',
        'ref',
      ])
      .where('id', '>', after)
      .where('purged_at', 'is', null)
      .orderBy('id')
      .limit(PAGE)
      .execute();
    for (const r of rows) {
      const id = Number(r.id);
      records.people.push({
        id,
        districtId: Number(r.district_id),
        streetId: Number(r.street_id),
        householdId: r.household_id == null ? null : Number(r.household_id),
        placeId: r.place_id == null ? null : Number(r.place_id),
        floor: r.floor,
        workplaceOrgId: r.workplace_org_id == null ? null : Number(r.workplace_org_id),
        occupation: r.occupation,
        birthYear: r.birth_year,
      });
      codes.set(id, [r.ref, Number(r.district_id)]);
    }
    if (rows.length < PAGE) break;
    after = Number(rows[rows.length - 1].id);
  }
  const places = await db
    .selectFrom('places')
    .select(['id', 'kind', 'district_id', 'street_id', 'parent_place_id'])
    .orderBy('id')
    .execute();
  records.places = places.map((p) => ({
    id: Number(p.id),
    kind: p.kind,
    districtId: Number(p.district_id),
    streetId: Number(p.street_id),
    parentPlaceId: p.parent_place_id == null ? null : Number(p.parent_place_id),
  }));
  const sites = await db
    .selectFrom('sampling_sites')
    .select(['id', 'organisation_id', 'district_id', 'street_id', 'kind', 'hourly_capacity'])
    .orderBy('id')
    .execute();
  records.sites = sites.map((s) => ({
    id: Number(s.id),
    organisationId: Number(s.organisation_id),
    districtId: Number(s.district_id),
    streetId: Number(s.street_id),
    kind: s.kind,
    hourlyCapacity: Number(s.hourly_capacity),
  }));
  const orgs = await db
    .selectFrom('organisations')
    .select(['id', 'kind', 'district_id', 'sector', 'daily_capacity'])
    .orderBy('id')
    .execute();
  records.organisations = orgs.map((o) => ({
    id: Number(o.id),
    kind: o.kind,
    districtId: Number(o.district_id),
    sector: o.sector,
    dailyCapacity: o.daily_capacity == null ? null : Number(o.daily_capacity),
  }));
  const beds = await db.selectFrom('facility_beds').select(['facility_id', 'total']).execute();
  const bedsOf = new Map<number, number>();
  for (const b of beds) {
    bedsOf.set(Number(b.facility_id), (bedsOf.get(Number(b.facility_id)) ?? 0) + Number(b.total));
  }
  const facilities = await db
    .selectFrom('facilities')
    .select(['id', 'organisation_id', 'district_id', 'kind'])
    .orderBy('id')
    .execute();
  records.facilities = facilities.map((f) => ({
    id: Number(f.id),
    organisationId: Number(f.organisation_id),
    districtId: Number(f.district_id),
    kind: f.kind,
    beds: bedsOf.get(Number(f.id)) ?? 0,
  }));
  return { records, codes };
}
