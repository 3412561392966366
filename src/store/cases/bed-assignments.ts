import { sql } from 'kysely';
import { idChunks, type Db } from './db.ts';

/**
 * Who holds which numbered bed: the live rows of bed_assignments (at most one per bed and one
 * per order, by partial unique indexes), and the counters that move with them.
 */
export interface LiveAssignment {
  id: number;
  districtId: number;
  facilityId: number;
  bedKind: string;
  bedNo: number;
  orderId: number;
  personId: number;
  status: 'reserved' | 'occupied';
}

export async function liveAssignments(db: Db, orderIds: readonly number[]): Promise<LiveAssignment[]> {
  const out: LiveAssignment[] = [];
  for (const chunk of idChunks(orderIds)) {
    const rows = await db
      .selectFrom('bed_assignments')
      .selectAll()
      .where('order_id', 'in', chunk)
      .where('released_at', 'is', null)
      .execute();
    for (const r of rows) {
      out.push({
        id: r.id,
        districtId: r.district_id,
        facilityId: r.facility_id,
        bedKind: r.bed_kind,
        bedNo: r.bed_no,
        orderId: r.order_id,
        personId: r.person_id,
        status: r.status,
      });
    }
  }
  return out;
}

/** Who holds a numbered bed right now, if anyone. */
export async function bedHolder(
  db: Db,
  districtId: number,
  facilityId: number,
  bedKind: string,
  bedNo: number,
): Promise<number | null> {
  const row = await db
    .selectFrom('bed_assignments')
    .select('order_id')
    .where('district_id', '=', districtId)
    .where('facility_id', '=', facilityId)
    .where('bed_kind', '=', bedKind)
    .where('bed_no', '=', bedNo)
    .where('released_at', 'is', null)
    .executeTakeFirst();
  return row?.order_id ?? null;
}

async function adjustCounts(
  db: Db,
  groups: Map<string, { facilityId: number; bedKind: string; reserved: number; occupied: number }>,
): Promise<void> {
  for (const g of groups.values()) {
    await db
      .updateTable('bed_occupancy')
      .set({ reserved: sql`reserved + ${g.reserved}`, occupied: sql`occupied + ${g.occupied}` })
      .where('facility_id', '=', g.facilityId)
      .where('bed_kind', '=', g.bedKind)
      .execute();
  }
}

function groupBy(
  assignments: readonly LiveAssignment[],
  delta: (a: LiveAssignment) => { reserved: number; occupied: number },
) {
  const groups = new Map<
    string,
    { facilityId: number; bedKind: string; reserved: number; occupied: number }
  >();
  for (const a of assignments) {
    const key = `${a.facilityId}\u0000${a.bedKind}`;
    const g = groups.get(key) ?? { facilityId: a.facilityId, bedKind: a.bedKind, reserved: 0, occupied: 0 };
    const d = delta(a);
    g.reserved += d.reserved;
    g.occupied += d.occupied;
    groups.set(key, g);
  }
  return groups;
}

/** Frees the given assignments (cancelled order, reallocation, discharge, death). */
export async function releaseAssignments(
  db: Db,
  assignments: readonly LiveAssignment[],
  now: number,
): Promise<void> {
  if (assignments.length === 0) return;
  for (const chunk of idChunks(assignments.map((a) => a.id))) {
    await db.updateTable('bed_assignments').set({ released_at: now }).where('id', 'in', chunk).execute();
  }
  await adjustCounts(
    db,
    groupBy(assignments, (a) =>
      a.status === 'reserved' ? { reserved: -1, occupied: 0 } : { reserved: 0, occupied: -1 },
    ),
  );
}

/** Reserved beds become occupied (admission); counters move in one statement per pool. */
export async function occupyAssignments(db: Db, assignments: readonly LiveAssignment[]): Promise<void> {
  if (assignments.length === 0) return;
  for (const chunk of idChunks(assignments.map((a) => a.id))) {
    await db.updateTable('bed_assignments').set({ status: 'occupied' }).where('id', 'in', chunk).execute();
  }
  await adjustCounts(
    db,
    groupBy(assignments, () => ({ reserved: -1, occupied: 1 })),
  );
}

/** Moves a live assignment to another numbered bed of the same pool (the caller checked it is free). */
export async function moveAssignment(db: Db, assignmentId: number, bedNo: number): Promise<void> {
  await db.updateTable('bed_assignments').set({ bed_no: bedNo }).where('id', '=', assignmentId).execute();
}
