import type { Kysely, Transaction } from 'kysely';
import type { Resident } from '../../domain/tracing/rule-contacts.ts';
import type { Database } from '../schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Registry facts tracing needs about a person: where they live. Never names: ids only. */
export interface PersonFacts extends Resident {
  committeeId: number | null;
}

function toFacts(r: {
  id: number;
  district_id: number;
  street_id: number;
  committee_id: number | null;
  household_id: number | null;
  place_id: number | null;
  floor: number | null;
  household_floor: number | null;
}): PersonFacts {
  return {
    personId: r.id,
    districtId: r.district_id,
    streetId: r.street_id,
    committeeId: r.committee_id,
    householdId: r.household_id,
    placeId: r.place_id,
    // The person's own floor, else their household's (the registry may carry either).
    floor: r.floor ?? r.household_floor,
  };
}

function peopleQuery(db: Db) {
  return db
    .selectFrom('people as p')
    .leftJoin('households as h', (j) =>
      j.onRef('h.id', '=', 'p.household_id').onRef('h.district_id', '=', 'p.district_id'),
    )
    .select([
      'p.id',
      'p.district_id',
      'p.street_id',
      'p.committee_id',
      'p.household_id',
      'p.place_id',
      'p.floor',
      'h.floor as household_floor',
    ])
    .where('p.purged_at', 'is', null);
}

export async function peopleFacts(db: Db, personIds: readonly number[]): Promise<Map<number, PersonFacts>> {
  const out = new Map<number, PersonFacts>();
  const unique = [...new Set(personIds)];
  for (let i = 0; i < unique.length; i += 900) {
    const rows = await peopleQuery(db)
      .where('p.id', 'in', unique.slice(i, i + 900))
      .execute();
    for (const r of rows) out.set(r.id, toFacts(r));
  }
  return out;
}

/**
 * Everyone who could be a rule contact of a case: the household, and the residents of the same
 * building within `floorRadius` floors (when the rule is on). Two indexed reads (household,
 * building); the domain decides who is which contact.
 */
export async function neighboursOf(
  db: Db,
  index: Resident,
  floorRadius: number | null,
): Promise<PersonFacts[]> {
  const byId = new Map<number, PersonFacts>();
  if (index.householdId != null) {
    const rows = await peopleQuery(db)
      .where('p.district_id', '=', index.districtId)
      .where('p.household_id', '=', index.householdId)
      .execute();
    for (const r of rows) byId.set(r.id, toFacts(r));
  }
  if (floorRadius != null && index.placeId != null && index.floor != null) {
    const rows = await peopleQuery(db)
      .where('p.district_id', '=', index.districtId)
      .where('p.place_id', '=', index.placeId)
      .execute();
    for (const r of rows) byId.set(r.id, toFacts(r));
  }
  return [...byId.values()];
}

/** People among these who are themselves cases (they have an investigation): never anyone's contact. */
export async function peopleWhoAreCases(db: Db, personIds: readonly number[]): Promise<Set<number>> {
  const out = new Set<number>();
  const unique = [...new Set(personIds)];
  for (let i = 0; i < unique.length; i += 900) {
    const rows = await db
      .selectFrom('tracing_investigations')
      .select('person_id')
      .where('person_id', 'in', unique.slice(i, i + 900))
      .execute();
    for (const r of rows) out.add(r.person_id);
  }
  return out;
}

export interface PlaceFacts {
  districtId: number;
  streetId: number;
  committeeId: number | null;
}

/** Where places are (venue check-ins are sharded by the venue's district; uploads are scoped by it). */
export async function placeFacts(db: Db, placeIds: readonly number[]): Promise<Map<number, PlaceFacts>> {
  const out = new Map<number, PlaceFacts>();
  const unique = [...new Set(placeIds)];
  for (let i = 0; i < unique.length; i += 900) {
    const rows = await db
      .selectFrom('places')
      .select(['id', 'district_id', 'street_id', 'committee_id'])
      .where('id', 'in', unique.slice(i, i + 900))
      .execute();
    for (const r of rows) {
      out.set(r.id, { districtId: r.district_id, streetId: r.street_id, committeeId: r.committee_id });
    }
  }
  return out;
}

/** People's districts, for check-in rows (who they are does not matter to matching; where they live routes the push). */
export async function personDistricts(db: Db, personIds: readonly number[]): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  const unique = [...new Set(personIds)];
  for (let i = 0; i < unique.length; i += 900) {
    const rows = await db
      .selectFrom('people')
      .select(['id', 'district_id'])
      .where('id', 'in', unique.slice(i, i + 900))
      .execute();
    for (const r of rows) out.set(r.id, r.district_id);
  }
  return out;
}
