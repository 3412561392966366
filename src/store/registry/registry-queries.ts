/** Read queries behind the registry routes (regions' shapes, places by area). */
import type { Kysely } from 'kysely';
import type { Database, PlaceTable } from '../schema.ts';

/** Stored GeoJSON geometries of the given regions (text, as stored). */
export async function regionGeometries(
  db: Kysely<Database>,
  ids: readonly number[],
): Promise<Map<number, string | null>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('regions').select(['id', 'geometry']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.geometry]));
}

export interface PlaceFilter {
  /** Confines the list to a subtree: district_id, street_id or committee_id = id. */
  area: { column: 'district_id' | 'street_id' | 'committee_id'; id: number } | null;
  streetId?: number;
  committeeId?: number;
  kind?: string;
  parentPlaceId?: number;
  /** Places with a greater id (keyset pagination). */
  afterId?: number;
  limit: number;
}

export type PlaceRow = Pick<
  PlaceTable,
  | 'id'
  | 'district_id'
  | 'street_id'
  | 'committee_id'
  | 'kind'
  | 'name'
  | 'parent_place_id'
  | 'floors'
  | 'address'
  | 'lng'
  | 'lat'
>;

/** One page of places in id order; fetches limit + 1 so the caller knows whether more follow. */
export async function listPlaces(db: Kysely<Database>, filter: PlaceFilter): Promise<PlaceRow[]> {
  let query = db
    .selectFrom('places')
    .select([
      'id',
      'district_id',
      'street_id',
      'committee_id',
      'kind',
      'name',
      'parent_place_id',
      'floors',
      'address',
      'lng',
      'lat',
    ]);
  if (filter.area) query = query.where(filter.area.column, '=', filter.area.id);
  if (filter.streetId !== undefined) query = query.where('street_id', '=', filter.streetId);
  if (filter.committeeId !== undefined) query = query.where('committee_id', '=', filter.committeeId);
  if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
  if (filter.parentPlaceId !== undefined) query = query.where('parent_place_id', '=', filter.parentPlaceId);
  if (filter.afterId !== undefined) query = query.where('id', '>', filter.afterId);
  return query
    .orderBy('id')
    .limit(filter.limit + 1)
    .execute();
}
