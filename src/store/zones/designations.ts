import type { Kysely, Selectable, Transaction } from 'kysely';
import type { ZoneDesignation } from '../../domain/zones/types.ts';
import type { Database } from '../schema.ts';
import type { ZoneDesignationTable } from './tables.ts';

/** The zone designations repository: one row per place, read and written by the zones service. */
export type Db = Kysely<Database> | Transaction<Database>;
export type DesignationRow = Selectable<ZoneDesignationTable>;

/** A designation with where its place is (for events, scope and residents). */
export interface StoredDesignation extends ZoneDesignation {
  districtId: number;
  streetId: number;
  committeeId: number | null;
  placeKind: string;
  parentPlaceId: number | null;
  ruleSet: string;
}

export function toDesignation(r: DesignationRow): StoredDesignation {
  return {
    id: r.id,
    placeId: r.place_id,
    districtId: r.district_id,
    streetId: r.street_id,
    committeeId: r.committee_id,
    placeKind: r.place_kind,
    parentPlaceId: r.parent_place_id,
    level: r.level,
    phase: r.phase,
    periodStartDay: r.period_start_day,
    since: r.since_at,
    levelSince: r.level_since_at,
    lastPositiveDay: r.last_positive_day,
    causeCaseIds: JSON.parse(r.cause_case_ids) as string[],
    hold:
      r.hold_compound_designation_id != null && r.hold_until_day != null
        ? { compoundDesignationId: r.hold_compound_designation_id, untilDay: r.hold_until_day }
        : null,
    ruleSet: r.rule_set,
  };
}

export async function designationOfPlace(
  db: Db,
  placeId: number,
  districtId: number,
): Promise<StoredDesignation | null> {
  const row = await db
    .selectFrom('zone_designations')
    .selectAll()
    .where('district_id', '=', districtId)
    .where('place_id', '=', placeId)
    .executeTakeFirst();
  return row ? toDesignation(row) : null;
}

export async function designationById(db: Db, id: number): Promise<StoredDesignation | null> {
  const row = await db.selectFrom('zone_designations').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toDesignation(row) : null;
}

/** Active holds (buildings held sealed inside a compound) of a compound's designation. */
export async function holdsOf(db: Db, compoundDesignationId: number): Promise<StoredDesignation[]> {
  const rows = await db
    .selectFrom('zone_designations')
    .selectAll()
    .where('hold_compound_designation_id', '=', compoundDesignationId)
    .where('hold_until_day', 'is not', null)
    .execute();
  return rows.map(toDesignation);
}

export interface PlaceInfo {
  id: number;
  districtId: number;
  streetId: number;
  committeeId: number | null;
  kind: string;
  parentPlaceId: number | null;
}

export async function placeInfo(db: Db, placeId: number): Promise<PlaceInfo | null> {
  return (await placesInfo(db, [placeId])).get(placeId) ?? null;
}

/** Many places at once (a batch designation), keyed by id; unknown ids are absent. */
export async function placesInfo(db: Db, placeIds: readonly number[]): Promise<Map<number, PlaceInfo>> {
  const out = new Map<number, PlaceInfo>();
  for (let i = 0; i < placeIds.length; i += 500) {
    const rows = await db
      .selectFrom('places')
      .select(['id', 'district_id', 'street_id', 'committee_id', 'kind', 'parent_place_id'])
      .where('id', 'in', placeIds.slice(i, i + 500))
      .execute();
    for (const p of rows) {
      out.set(p.id, {
        id: p.id,
        districtId: p.district_id,
        streetId: p.street_id,
        committeeId: p.committee_id,
        kind: p.kind,
        parentPlaceId: p.parent_place_id,
      });
    }
  }
  return out;
}

/** The designations of many places (one row per place), keyed by place id. */
export async function designationsOfPlaces(
  db: Db,
  placeIds: readonly number[],
): Promise<Map<number, StoredDesignation>> {
  const out = new Map<number, StoredDesignation>();
  for (let i = 0; i < placeIds.length; i += 500) {
    const rows = await db
      .selectFrom('zone_designations')
      .selectAll()
      .where('place_id', 'in', placeIds.slice(i, i + 500))
      .execute();
    for (const r of rows) out.set(r.place_id, toDesignation(r));
  }
  return out;
}

type Fields = Omit<StoredDesignation, 'id'>;

function rowOf(d: Fields, now: number): Omit<DesignationRow, 'id' | 'created_at'> {
  return {
    district_id: d.districtId,
    street_id: d.streetId,
    committee_id: d.committeeId,
    place_id: d.placeId,
    place_kind: d.placeKind,
    parent_place_id: d.parentPlaceId,
    level: d.level,
    phase: d.phase,
    period_start_day: d.periodStartDay,
    since_at: d.since,
    level_since_at: d.levelSince,
    last_positive_day: d.lastPositiveDay,
    cause_case_ids: JSON.stringify(d.causeCaseIds),
    hold_compound_designation_id: d.hold?.compoundDesignationId ?? null,
    hold_until_day: d.hold?.untilDay ?? null,
    rule_set: d.ruleSet,
    updated_at: now,
  };
}

/** New designations of many places in multi-row statements, keyed by place (one row per place). */
export async function insertDesignations(
  db: Db,
  list: readonly Fields[],
  now: number,
): Promise<Map<number, StoredDesignation>> {
  const out = new Map<number, StoredDesignation>();
  for (let i = 0; i < list.length; i += 200) {
    const rows = await db
      .insertInto('zone_designations')
      .values(list.slice(i, i + 200).map((d) => ({ ...rowOf(d, now), created_at: now })))
      .returningAll()
      .execute();
    for (const r of rows) out.set(r.place_id, toDesignation(r));
  }
  return out;
}

export async function updateDesignation(db: Db, d: StoredDesignation, now: number): Promise<void> {
  await db
    .updateTable('zone_designations')
    .set(rowOf(d, now))
    .where('district_id', '=', d.districtId)
    .where('id', '=', d.id)
    .execute();
}

/** Every designation above precaution or holding a building (the daily evaluation's input), in id pages. */
export async function activeDesignationsPage(
  db: Db,
  afterId: number,
  limit: number,
): Promise<StoredDesignation[]> {
  const rows = await db
    .selectFrom('zone_designations')
    .selectAll()
    .where('id', '>', afterId)
    .where((eb) => eb.or([eb('level', '!=', 'precaution'), eb('hold_until_day', 'is not', null)]))
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(toDesignation);
}
