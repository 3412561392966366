import { CompiledQuery } from 'kysely';
import { pickBedNumbers, takeBedNumbers } from './beds.ts';
import type { Db } from './db.ts';
import { markerOf, statementSizes, tuples } from './statements.ts';

/**
 * `takeBedNumbers` for the many pools of a batch allocation (some 70 per batch of 500 orders at the
 * peak) in a few statements instead of four per pool. The database still decides: each pool's
 * counter moves in a conditional update (reserved + occupied + count ≤ total), here one update
 * joined to a VALUES list of the pools, which returns the pools it moved — on PostgreSQL a
 * concurrent writer blocks on a pool's row and re-checks the condition after the first commits,
 * as with one pool. A pool the update did not move (no counter row yet, or too few beds) takes
 * the one-pool path; so does a pool whose free numbers are not all in the first window looked at.
 */
export interface PoolWant {
  facilityId: number;
  bedKind: string;
  /** The facility's district. */
  districtId: number;
  count: number;
}

const poolKey = (facilityId: number, bedKind: string) => `${facilityId}\u0000${bedKind}`;

/**
 * Each want's bed numbers, or null where its pool has fewer free beds (that pool unchanged). The
 * wants name distinct pools: a pool joined twice to the update would move once.
 */
export async function takeBedNumbersMany(db: Db, wants: readonly PoolWant[]): Promise<(number[] | null)[]> {
  if (new Set(wants.map((w) => poolKey(w.facilityId, w.bedKind))).size !== wants.length) {
    throw new Error('takeBedNumbersMany: a pool is named twice');
  }
  const live = wants.filter((w) => w.count > 0);
  const cursors = await reserveCounts(db, live);
  const taken = await pickInWindows(
    db,
    live.filter((w) => cursors.has(poolKey(w.facilityId, w.bedKind))),
    cursors,
  );
  const out: (number[] | null)[] = [];
  const moved: { want: PoolWant; cursor: number }[] = [];
  for (const want of wants) {
    const key = poolKey(want.facilityId, want.bedKind);
    if (want.count === 0) {
      out.push([]);
    } else if (!cursors.has(key)) {
      out.push(await takeBedNumbers(db, want, want.count));
    } else {
      const picked =
        taken.get(key) ??
        (await pickBedNumbers(db, want.facilityId, want.bedKind, want.districtId, want.count));
      out.push(picked.bedNos);
      moved.push({ want, cursor: (picked.bedNos[picked.bedNos.length - 1] % picked.total) + 1 });
    }
  }
  await setCursors(db, moved);
  return out;
}

/** The conditional update of every pool's counter; the cursors of the pools it moved. */
async function reserveCounts(db: Db, wants: readonly PoolWant[]): Promise<Map<string, number>> {
  const marker = markerOf(db);
  const cursors = new Map<string, number>();
  let at = 0;
  for (const size of statementSizes(wants.length, 128)) {
    const parameters = wants.slice(at, at + size).flatMap((w) => [w.facilityId, w.bedKind, w.count]);
    const result = await db.executeQuery<{ facility_id: number; bed_kind: string; cursor: number }>(
      CompiledQuery.raw(
        `update bed_occupancy set reserved = reserved + v.column3 ` +
          `from (values ${tuples(marker, size, 3, ['bigint', 'text', 'integer'])}) as v ` +
          `where bed_occupancy.facility_id = v.column1 and bed_occupancy.bed_kind = v.column2 ` +
          `and bed_occupancy.reserved + bed_occupancy.occupied + v.column3 <= ` +
          `(select fb.total from facility_beds fb where fb.facility_id = v.column1 and fb.bed_kind = v.column2) ` +
          `returning bed_occupancy.facility_id, bed_occupancy.bed_kind, bed_occupancy."cursor"`,
        parameters,
      ),
    );
    for (const r of result.rows) cursors.set(poolKey(r.facility_id, r.bed_kind), Number(r.cursor));
    at += size;
  }
  return cursors;
}

/**
 * Free numbers from each pool's cursor on, within one window per pool (beds mostly fill in order,
 * so the first window hits): the taken numbers of all windows in one read per chunk. A pool whose
 * window has too few free numbers (or would wrap past the last bed) is left out of the answer.
 */
async function pickInWindows(
  db: Db,
  wants: readonly PoolWant[],
  cursors: ReadonlyMap<string, number>,
): Promise<Map<string, { bedNos: number[]; total: number }>> {
  const out = new Map<string, { bedNos: number[]; total: number }>();
  if (wants.length === 0) return out;
  const totals = new Map(
    (
      await db
        .selectFrom('facility_beds')
        .select(['facility_id', 'bed_kind', 'total'])
        .where('facility_id', 'in', [...new Set(wants.map((w) => w.facilityId))])
        .execute()
    ).map((r) => [poolKey(r.facility_id, r.bed_kind), r.total]),
  );
  const windows = wants.map((w) => {
    const total = totals.get(poolKey(w.facilityId, w.bedKind)) ?? 0;
    const cursor = cursors.get(poolKey(w.facilityId, w.bedKind))!;
    const start = cursor >= 1 && cursor <= total ? cursor : 1;
    return { want: w, total, start, end: Math.min(total, start + Math.max(64, w.count * 2) - 1) };
  });
  const takenIn = new Map<string, Set<number>>();
  const marker = markerOf(db);
  let at = 0;
  for (const size of statementSizes(windows.length, 128)) {
    const parameters = windows
      .slice(at, at + size)
      .flatMap((w) => [w.want.districtId, w.want.facilityId, w.want.bedKind, w.start, w.end]);
    const result = await db.executeQuery<{ facility_id: number; bed_kind: string; bed_no: number }>(
      CompiledQuery.raw(
        `select b.facility_id, b.bed_kind, b.bed_no ` +
          `from (values ${tuples(marker, size, 5, ['bigint', 'bigint', 'text', 'integer', 'integer'])}) as v ` +
          // CROSS JOIN: SQLite then loops over the windows and seeks each in the live-bed index
          // (as a plain join it scanned every live assignment instead, once per statement).
          `cross join bed_assignments b where b.district_id = v.column1 and b.facility_id = v.column2 ` +
          `and b.bed_kind = v.column3 and b.bed_no between v.column4 and v.column5 and b.released_at is null`,
        parameters,
      ),
    );
    for (const r of result.rows) {
      const key = poolKey(r.facility_id, r.bed_kind);
      const set = takenIn.get(key) ?? new Set<number>();
      set.add(r.bed_no);
      takenIn.set(key, set);
    }
    at += size;
  }
  for (const { want, total, start, end } of windows) {
    const key = poolKey(want.facilityId, want.bedKind);
    const taken = takenIn.get(key);
    const bedNos: number[] = [];
    for (let n = start; n <= end && bedNos.length < want.count; n++) if (!taken?.has(n)) bedNos.push(n);
    if (bedNos.length === want.count) out.set(key, { bedNos, total });
  }
  return out;
}

/** Each moved pool's cursor past its last number taken, in one update per chunk. */
async function setCursors(db: Db, moved: readonly { want: PoolWant; cursor: number }[]): Promise<void> {
  const marker = markerOf(db);
  let at = 0;
  for (const size of statementSizes(moved.length, 128)) {
    const parameters = moved
      .slice(at, at + size)
      .flatMap(({ want, cursor }) => [want.facilityId, want.bedKind, cursor]);
    await db.executeQuery(
      CompiledQuery.raw(
        `update bed_occupancy set "cursor" = v.column3 ` +
          `from (values ${tuples(marker, size, 3, ['bigint', 'text', 'integer'])}) as v ` +
          `where bed_occupancy.facility_id = v.column1 and bed_occupancy.bed_kind = v.column2`,
        parameters,
      ),
    );
    at += size;
  }
}
