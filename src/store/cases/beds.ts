import { sql } from 'kysely';
import type { Db } from './db.ts';
import { insertRows } from './statements.ts';

/**
 * Beds (床位): totals live in the registry's facility_beds; bed_occupancy counts the reserved and
 * occupied ones; bed_assignments says who holds which numbered bed. The database, not the
 * application, decides who gets the last bed: a reservation is one conditional UPDATE that only
 * succeeds while reserved + occupied < total. On PostgreSQL a concurrent writer blocks on the row
 * and re-checks the condition after the first commits; on SQLite writers are serial. Either way
 * the loser updates no row and gets no bed.
 */
export interface PoolRow {
  facilityId: number;
  facilityName: string;
  facilityKind: string;
  organisationId: number;
  districtId: number;
  streetId: number | null;
  bedKind: string;
  admits: string[];
  lng: number | null;
  lat: number | null;
  total: number;
  reserved: number;
  occupied: number;
  free: number;
}

function parseAdmits(json: string): string[] {
  try {
    const value = JSON.parse(json) as unknown;
    return Array.isArray(value) ? value.map(String) : [];
  } catch {
    return [];
  }
}

/** Every (facility, bed kind) with live counts; optionally only some facilities or districts. */
export async function loadBedPools(
  db: Db,
  filter: { facilityIds?: readonly number[]; districtId?: number } = {},
): Promise<PoolRow[]> {
  let q = db
    .selectFrom('facility_beds as b')
    .innerJoin('facilities as f', 'f.id', 'b.facility_id')
    .leftJoin('bed_occupancy as o', (j) =>
      j.onRef('o.facility_id', '=', 'b.facility_id').onRef('o.bed_kind', '=', 'b.bed_kind'),
    )
    .select([
      'f.id as facility_id',
      'f.name',
      'f.kind',
      'f.organisation_id',
      'f.district_id',
      'f.street_id',
      'f.admits',
      'f.lng',
      'f.lat',
      'b.bed_kind',
      'b.total',
      'o.reserved',
      'o.occupied',
    ]);
  if (filter.facilityIds) {
    q = q.where('f.id', 'in', filter.facilityIds.length ? [...filter.facilityIds] : [-1]);
  }
  if (filter.districtId !== undefined) q = q.where('f.district_id', '=', filter.districtId);
  const rows = await q.orderBy('f.id').orderBy('b.bed_kind').execute();
  return rows.map((r) => {
    const reserved = Number(r.reserved ?? 0);
    const occupied = Number(r.occupied ?? 0);
    return {
      facilityId: r.facility_id,
      facilityName: r.name,
      facilityKind: r.kind,
      organisationId: r.organisation_id,
      districtId: r.district_id,
      streetId: r.street_id,
      bedKind: r.bed_kind,
      admits: parseAdmits(r.admits),
      lng: r.lng,
      lat: r.lat,
      total: r.total,
      reserved,
      occupied,
      free: Math.max(0, r.total - reserved - occupied),
    };
  });
}

async function ensureOccupancyRow(
  db: Db,
  facilityId: number,
  bedKind: string,
  districtId: number,
): Promise<boolean> {
  const bed = await db
    .selectFrom('facility_beds')
    .select('total')
    .where('facility_id', '=', facilityId)
    .where('bed_kind', '=', bedKind)
    .executeTakeFirst();
  if (!bed) return false;
  await db
    .insertInto('bed_occupancy')
    .values({
      facility_id: facilityId,
      bed_kind: bedKind,
      district_id: districtId,
      reserved: 0,
      occupied: 0,
      cursor: 1,
    })
    .onConflict((oc) => oc.columns(['facility_id', 'bed_kind']).doNothing())
    .execute();
  return true;
}

/** Takes `count` beds of the pool if that many are free; false when not (or the pool does not exist). */
async function takeCount(
  db: Db,
  facilityId: number,
  bedKind: string,
  districtId: number,
  count: number,
): Promise<boolean> {
  const attempt = async () => {
    const result = await db
      .updateTable('bed_occupancy')
      .set({ reserved: sql`reserved + ${count}` })
      .where('facility_id', '=', facilityId)
      .where('bed_kind', '=', bedKind)
      .where(
        sql<boolean>`reserved + occupied + ${count} <= (select total from facility_beds fb where fb.facility_id = ${facilityId} and fb.bed_kind = ${bedKind})`,
      )
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  };
  if (await attempt()) return true;
  const exists = await db
    .selectFrom('bed_occupancy')
    .select('facility_id')
    .where('facility_id', '=', facilityId)
    .where('bed_kind', '=', bedKind)
    .executeTakeFirst();
  if (exists) return false;
  // First use of this pool: create its counters, then try once more.
  if (!(await ensureOccupancyRow(db, facilityId, bedKind, districtId))) return false;
  return attempt();
}

/** Bed numbers 1..total; the first `count` free ones from the pool's cursor on, wrapping around. */
export async function pickBedNumbers(
  db: Db,
  facilityId: number,
  bedKind: string,
  districtId: number,
  count: number,
): Promise<{ bedNos: number[]; total: number }> {
  const pool = await db
    .selectFrom('bed_occupancy as o')
    .innerJoin('facility_beds as b', (j) =>
      j.onRef('b.facility_id', '=', 'o.facility_id').onRef('b.bed_kind', '=', 'o.bed_kind'),
    )
    .select(['o.cursor', 'b.total'])
    .where('o.facility_id', '=', facilityId)
    .where('o.bed_kind', '=', bedKind)
    .executeTakeFirstOrThrow();
  const total = pool.total;
  // Look at a window of numbers per query: beds mostly fill in order, so the first window hits.
  const window = Math.max(64, count * 2);
  const bedNos: number[] = [];
  let start = pool.cursor >= 1 && pool.cursor <= total ? pool.cursor : 1;
  for (let scanned = 0; scanned < total && bedNos.length < count;) {
    const end = Math.min(total, start + window - 1);
    const taken = await db
      .selectFrom('bed_assignments')
      .select('bed_no')
      .where('district_id', '=', districtId)
      .where('facility_id', '=', facilityId)
      .where('bed_kind', '=', bedKind)
      .where('released_at', 'is', null)
      .where('bed_no', '>=', start)
      .where('bed_no', '<=', end)
      .execute();
    const set = new Set(taken.map((t) => t.bed_no));
    for (let n = start; n <= end && bedNos.length < count; n++) if (!set.has(n)) bedNos.push(n);
    scanned += end - start + 1;
    start = end === total ? 1 : end + 1;
  }
  if (bedNos.length < count) {
    throw new Error(
      `only ${bedNos.length} free bed numbers in facility ${facilityId} ${bedKind} although the counter had room for ${count}`,
    );
  }
  return { bedNos, total };
}

export interface BedClaim {
  facilityId: number;
  bedKind: string;
  /** The facility's district. */
  districtId: number;
  orderId: number;
  personId: number;
  now: number;
}

/**
 * Takes `count` beds of one pool and picks their numbers, all or none: null when the pool has
 * fewer free beds (nothing changed; the caller may try its orders one by one). The caller
 * writes the assignments (`insertAssignments`), in the same transaction.
 */
export async function takeBedNumbers(
  db: Db,
  pool: { facilityId: number; bedKind: string; districtId: number },
  count: number,
): Promise<number[] | null> {
  if (count === 0) return [];
  if (!(await takeCount(db, pool.facilityId, pool.bedKind, pool.districtId, count))) return null;
  const { bedNos, total } = await pickBedNumbers(db, pool.facilityId, pool.bedKind, pool.districtId, count);
  await db
    .updateTable('bed_occupancy')
    .set({ cursor: (bedNos[bedNos.length - 1] % total) + 1 })
    .where('facility_id', '=', pool.facilityId)
    .where('bed_kind', '=', pool.bedKind)
    .execute();
  return bedNos;
}

/** Reserved numbered beds, of any pools: the rows `takeBedNumbers` made room for. */
export interface NewAssignment {
  districtId: number;
  facilityId: number;
  bedKind: string;
  bedNo: number;
  orderId: number;
  personId: number;
}

export async function insertAssignments(db: Db, rows: readonly NewAssignment[], now: number): Promise<void> {
  await insertRows(
    db,
    'bed_assignments',
    ['district_id', 'facility_id', 'bed_kind', 'bed_no', 'order_id', 'person_id', 'status', 'since'],
    rows.map((a) => ({
      district_id: a.districtId,
      facility_id: a.facilityId,
      bed_kind: a.bedKind,
      bed_no: a.bedNo,
      order_id: a.orderId,
      person_id: a.personId,
      status: 'reserved',
      since: now,
    })),
  );
}

/**
 * Reserves numbered beds of one pool for several orders, all or none: null when the pool has
 * fewer free beds than orders (nothing changed; the caller may try them one by one).
 */
export async function reserveBeds(
  db: Db,
  pool: { facilityId: number; bedKind: string; districtId: number },
  claims: readonly { orderId: number; personId: number }[],
  now: number,
): Promise<number[] | null> {
  const bedNos = await takeBedNumbers(db, pool, claims.length);
  if (!bedNos) return null;
  await insertAssignments(
    db,
    claims.map((c, k) => ({
      districtId: pool.districtId,
      facilityId: pool.facilityId,
      bedKind: pool.bedKind,
      bedNo: bedNos[k],
      orderId: c.orderId,
      personId: c.personId,
    })),
    now,
  );
  return bedNos;
}

/** Reserves a numbered bed for an order; null when the pool has no free bed (nothing changed). */
export async function reserveBed(db: Db, claim: BedClaim): Promise<number | null> {
  const bedNos = await reserveBeds(db, claim, [claim], claim.now);
  return bedNos ? bedNos[0] : null;
}

export async function bedTotal(db: Db, facilityId: number, bedKind: string): Promise<number | null> {
  const row = await db
    .selectFrom('facility_beds')
    .select('total')
    .where('facility_id', '=', facilityId)
    .where('bed_kind', '=', bedKind)
    .executeTakeFirst();
  return row?.total ?? null;
}
