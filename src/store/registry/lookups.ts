/**
 * Look-ups the CSV import needs to check references before it writes anything. Lists are
 * queried in chunks so that `in (…)` stays within both databases' parameter limits.
 */
import type { Kysely } from 'kysely';
import type { Database, RegionTable } from '../schema.ts';

const CHUNK = 500;

async function chunked<T, R>(items: readonly T[], query: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(...(await query(items.slice(i, i + CHUNK))));
  return out;
}

export interface RegionRef {
  id: number;
  code: string;
  level: RegionTable['level'];
  parentId: number | null;
  districtId: number | null;
  streetId: number | null;
}

/** Every region by code (a city has a few thousand). */
export async function regionsByCode(db: Kysely<Database>): Promise<Map<string, RegionRef>> {
  const rows = await db
    .selectFrom('regions')
    .select(['id', 'code', 'level', 'parent_id', 'district_id', 'street_id'])
    .execute();
  return new Map(
    rows.map((r) => [
      r.code,
      {
        id: r.id,
        code: r.code,
        level: r.level,
        parentId: r.parent_id,
        districtId: r.district_id,
        streetId: r.street_id,
      },
    ]),
  );
}

export interface PlaceRef {
  id: number;
  streetId: number;
  committeeId: number | null;
  kind: string;
  address: string;
}

export async function placesInStreets(
  db: Kysely<Database>,
  streetIds: readonly number[],
): Promise<PlaceRef[]> {
  return chunked(streetIds, (chunk) =>
    db
      .selectFrom('places')
      .select(['id', 'street_id as streetId', 'committee_id as committeeId', 'kind', 'address'])
      .where('street_id', 'in', chunk)
      .execute(),
  );
}

export async function placesById(
  db: Kysely<Database>,
  ids: readonly number[],
): Promise<Map<number, PlaceRef>> {
  const rows = await chunked(ids, (chunk) =>
    db
      .selectFrom('places')
      .select(['id', 'street_id as streetId', 'committee_id as committeeId', 'kind', 'address'])
      .where('id', 'in', chunk)
      .execute(),
  );
  return new Map(rows.map((r) => [r.id, r]));
}

export interface OrganisationRef {
  id: number;
  name: string;
}

export async function organisationsByIdOrName(
  db: Kysely<Database>,
  ids: readonly number[],
  names: readonly string[],
): Promise<OrganisationRef[]> {
  const byId = await chunked(ids, (chunk) =>
    db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', chunk).execute(),
  );
  const byName = await chunked(names, (chunk) =>
    db.selectFrom('organisations').select(['id', 'name']).where('name', 'in', chunk).execute(),
  );
  return [...byId, ...byName];
}

/** The id hashes (hex) among `hashes` that already belong to someone; stored as bytes. */
export async function existingIdHashes(
  db: Kysely<Database>,
  hashes: readonly string[],
): Promise<Set<string>> {
  const rows = await chunked(hashes, (chunk) =>
    db
      .selectFrom('people')
      .select('id_hash')
      .where(
        'id_hash',
        'in',
        chunk.map((hash) => Buffer.from(hash, 'hex')),
      )
      .execute(),
  );
  return new Set(rows.map((r) => r.id_hash!.toString('hex')));
}
