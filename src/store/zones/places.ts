import { sql } from 'kysely';
import type { PositiveResident } from '../../domain/zones/types.ts';
import type { Db } from './designations.ts';

/**
 * The facts of places the zone rules read: positives living there (from `case.created`),
 * residents, and how many of them tested negative on a day (the zones' day-N test orders).
 */

export interface PositiveRecord {
  districtId: number;
  caseId: string;
  personId: number;
  buildingId: number;
  compoundId: number | null;
  unitPlaceId: number;
  sampledAt: number;
  sampledDay: string;
}

/** Records a positive once (a redelivered event finds it); true when it is new. */
export async function recordPositive(db: Db, p: PositiveRecord, now: number): Promise<boolean> {
  const result = await db
    .insertInto('zone_positives')
    .values({
      district_id: p.districtId,
      case_id: p.caseId,
      person_id: p.personId,
      building_id: p.buildingId,
      compound_id: p.compoundId,
      unit_place_id: p.unitPlaceId,
      sampled_at: p.sampledAt,
      sampled_day: p.sampledDay,
      recorded_at: now,
    })
    .onConflict((oc) => oc.columns(['district_id', 'case_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

function addPositive(out: Map<number, PositiveResident[]>, place: number, p: PositiveResident): void {
  const list = out.get(place);
  if (list) list.push(p);
  else out.set(place, [p]);
}

/**
 * Positives living in the given places since a day, by place: a building's own, and a compound's
 * from all its buildings. Two indexed look-ups (by building, by compound) rather than one `or`,
 * which both databases would answer with a scan of every positive.
 */
export async function positivesIn(
  db: Db,
  placeIds: readonly number[],
  sinceDay: string,
): Promise<Map<number, PositiveResident[]>> {
  const out = new Map<number, PositiveResident[]>();
  for (const column of ['building_id', 'compound_id'] as const) {
    for (let i = 0; i < placeIds.length; i += 500) {
      const rows = await db
        .selectFrom('zone_positives')
        .select(['case_id', 'building_id', 'compound_id', 'sampled_day'])
        .where(column, 'in', placeIds.slice(i, i + 500))
        .where('sampled_day', '>=', sinceDay)
        .execute();
      for (const r of rows) {
        addPositive(out, r[column]!, {
          caseId: r.case_id,
          buildingId: r.building_id,
          sampledDay: r.sampled_day,
        });
      }
    }
  }
  return out;
}

/** Buildings held sealed on their own, by the compound designation holding them. */
export async function activeHolds(
  db: Db,
  compoundDesignationIds: readonly number[],
): Promise<Map<number, number[]>> {
  const out = new Map<number, number[]>();
  for (let i = 0; i < compoundDesignationIds.length; i += 500) {
    const rows = await db
      .selectFrom('zone_designations')
      .select(['place_id', 'hold_compound_designation_id'])
      .where('hold_compound_designation_id', 'in', compoundDesignationIds.slice(i, i + 500))
      .where('hold_until_day', 'is not', null)
      .execute();
    for (const r of rows) {
      const list = out.get(r.hold_compound_designation_id!) ?? [];
      list.push(r.place_id);
      out.set(r.hold_compound_designation_id!, list);
    }
  }
  return out;
}

/** The buildings a place stands for: a compound's buildings and itself, or the building alone. */
export async function buildingsOf(db: Db, placeId: number): Promise<number[]> {
  const rows = await db.selectFrom('places').select('id').where('parent_place_id', '=', placeId).execute();
  return [placeId, ...rows.map((r) => r.id)];
}

/** Buildings of many places at once: each place itself and, for a compound, its buildings. */
export async function buildingsByPlace(db: Db, placeIds: readonly number[]): Promise<Map<number, number[]>> {
  const out = new Map<number, number[]>(placeIds.map((id) => [id, [id]]));
  for (let i = 0; i < placeIds.length; i += 500) {
    const rows = await db
      .selectFrom('places')
      .select(['id', 'parent_place_id'])
      .where('parent_place_id', 'in', placeIds.slice(i, i + 500))
      .execute();
    for (const r of rows) out.get(r.parent_place_id!)?.push(r.id);
  }
  return out;
}

export async function buildingsOfPlaces(db: Db, placeIds: readonly number[]): Promise<number[]> {
  return [...new Set([...(await buildingsByPlace(db, placeIds)).values()].flat())];
}

export interface Resident {
  personId: number;
  districtId: number;
  placeId: number;
}

/** People living in the given buildings (people.place_id is the residence). */
export async function residentsOf(db: Db, buildingIds: readonly number[]): Promise<Resident[]> {
  const out: Resident[] = [];
  for (let i = 0; i < buildingIds.length; i += 300) {
    const rows = await db
      .selectFrom('people')
      .select(['id', 'district_id', 'place_id'])
      .where('place_id', 'in', buildingIds.slice(i, i + 300))
      .where('purged_at', 'is', null)
      .execute();
    for (const r of rows) out.push({ personId: r.id, districtId: r.district_id, placeId: r.place_id! });
  }
  return out;
}

/** Positives living in each of many places (building or compound), keyed by place. */
export async function positivePeopleOfPlaces(
  db: Db,
  placeIds: readonly number[],
): Promise<Map<number, Set<number>>> {
  const out = new Map<number, Set<number>>(placeIds.map((id) => [id, new Set<number>()]));
  for (let i = 0; i < placeIds.length; i += 500) {
    const chunk = placeIds.slice(i, i + 500);
    for (const column of ['building_id', 'compound_id'] as const) {
      const rows = await db
        .selectFrom('zone_positives')
        .select(['person_id', column])
        .where(column, 'in', chunk)
        .execute();
      for (const r of rows) out.get(r[column] as number)?.add(r.person_id);
    }
  }
  return out;
}

/** Source type of the zones' day-N test orders; the id is `designation:periodStart:day`. */
export const ZONE_DAY_TEST_SOURCE = 'zone.day_test';

export function dayTestSourceId(designationId: number, periodStartDay: string, day: number): string {
  return `${designationId}:${periodStartDay}:${day}`;
}

/**
 * Coverage of day-N tests: per source id, the orders that count (not cancelled) and those
 * fulfilled by a sample taken within [dayStart, dayEnd). Fulfilment means a negative result.
 */
export async function dayTestCoverage(
  db: Db,
  wanted: readonly { sourceId: string; dayStart: number; dayEnd: number }[],
): Promise<Map<string, { residents: number; negative: number }>> {
  const out = new Map<string, { residents: number; negative: number }>();
  const windows = new Map(wanted.map((w) => [w.sourceId, w]));
  for (let i = 0; i < wanted.length; i += 300) {
    const ids = wanted.slice(i, i + 300).map((w) => w.sourceId);
    const rows = await db
      .selectFrom('test_orders')
      .select(['source_id', 'status', sql<number | null>`fulfilled_at`.as('fulfilled_at')])
      .where('source_type', '=', ZONE_DAY_TEST_SOURCE)
      .where('source_id', 'in', ids)
      .where('status', '!=', 'cancelled')
      .execute();
    for (const r of rows) {
      const w = windows.get(r.source_id)!;
      const c = out.get(r.source_id) ?? { residents: 0, negative: 0 };
      c.residents++;
      if (
        r.status === 'fulfilled' &&
        r.fulfilled_at != null &&
        r.fulfilled_at >= w.dayStart &&
        r.fulfilled_at < w.dayEnd
      ) {
        c.negative++;
      }
      out.set(r.source_id, c);
    }
  }
  return out;
}
