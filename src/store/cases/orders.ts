import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import { idChunks, integerById, type Db } from './db.ts';
import type { TransferOrderTable } from './tables.ts';

export type OrderRow = Selectable<TransferOrderTable>;
export type NewOrderRow = Insertable<TransferOrderTable>;
export type OrderPatch = Updateable<TransferOrderTable>;

/** Inserts an order unless the person already has one from this source; null when it existed. */
export async function insertOrder(db: Db, row: NewOrderRow): Promise<OrderRow | null> {
  const inserted = await db
    .insertInto('transfer_orders')
    .values(row)
    .onConflict((oc) => oc.columns(['district_id', 'source_type', 'source_id', 'person_id']).doNothing())
    .returningAll()
    .executeTakeFirst();
  return inserted ?? null;
}

export async function findOrderBySource(
  db: Db,
  districtId: number,
  personId: number,
  sourceType: string,
  sourceId: string,
) {
  return db
    .selectFrom('transfer_orders')
    .selectAll()
    .where('district_id', '=', districtId)
    .where('source_type', '=', sourceType)
    .where('source_id', '=', sourceId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
}

export async function findOrders(db: Db, ids: readonly number[]): Promise<OrderRow[]> {
  const out: OrderRow[] = [];
  for (const chunk of idChunks(ids)) {
    out.push(...(await db.selectFrom('transfer_orders').selectAll().where('id', 'in', chunk).execute()));
  }
  return out;
}

export async function findOrder(db: Db, id: number): Promise<OrderRow | undefined> {
  return db.selectFrom('transfer_orders').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The open (not admitted, not cancelled) order of a case, if any. */
export async function findOpenOrderOfCase(db: Db, caseId: number): Promise<OrderRow | undefined> {
  return db
    .selectFrom('transfer_orders')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('status', 'not in', ['admitted', 'cancelled'])
    .executeTakeFirst();
}

export async function ordersOfCase(db: Db, caseId: number): Promise<OrderRow[]> {
  return db.selectFrom('transfer_orders').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
}

export async function updateOrder(db: Db, id: number, patch: OrderPatch): Promise<void> {
  await db.updateTable('transfer_orders').set(patch).where('id', '=', id).execute();
}

/**
 * Orders that differ only in their bed number take the same change in one statement: the bed
 * number is picked per id by a CASE (portable to both databases). Ids and numbers are bound as
 * parameters and the list padded to a power of two (the last pair repeated), so the statement
 * text repeats from batch to batch and stays in SQLite's statement cache.
 */
export async function updateOrdersWithBeds(
  db: Db,
  beds: readonly { id: number; bedNo: number }[],
  patch: OrderPatch,
): Promise<void> {
  const bedOf = new Map(beds.map((b) => [b.id, b.bedNo]));
  for (const ids of idChunks([...bedOf.keys()], 256)) {
    await db
      .updateTable('transfer_orders')
      .set({ ...patch, bed_no: integerById(ids, (id) => bedOf.get(id)!) })
      .where('id', 'in', ids)
      .execute();
  }
}

/** Where an allocation put one order: the per-order part of a batch allocation's update. */
export interface OrderPlacement {
  id: number;
  facilityId: number;
  facilityDistrictId: number;
  bedKind: string;
  bedNo: number;
}

/**
 * A batch allocation written in one statement per chunk whatever the number of pools: the
 * per-order columns are picked by CASEs on the id, the rest (`patch`) is common.
 */
export async function updateOrdersPlaced(
  db: Db,
  placements: readonly OrderPlacement[],
  patch: OrderPatch,
): Promise<void> {
  const byId = new Map(placements.map((p) => [p.id, p]));
  for (const ids of idChunks([...byId.keys()], 128)) {
    const at = (id: number) => byId.get(id)!;
    const bedKinds = ids.map((id) => sql`when ${id} then cast(${at(id).bedKind} as text)`);
    await db
      .updateTable('transfer_orders')
      .set({
        ...patch,
        facility_id: integerById(ids, (id) => at(id).facilityId),
        proposed_facility_id: integerById(ids, (id) => at(id).facilityId),
        facility_district_id: integerById(ids, (id) => at(id).facilityDistrictId),
        bed_kind: sql<string>`case id ${sql.join(bedKinds, sql` `)} end`,
        bed_no: integerById(ids, (id) => at(id).bedNo),
      })
      .where('id', 'in', ids)
      .execute();
  }
}

/** The same change to many orders, one statement per chunk. */
export async function updateOrders(db: Db, ids: readonly number[], patch: OrderPatch): Promise<void> {
  for (const chunk of idChunks(ids)) {
    await db.updateTable('transfer_orders').set(patch).where('id', 'in', chunk).execute();
  }
}

export interface OrderListFilter {
  region: { column: 'district_id' | 'street_id' | 'committee_id'; id: number } | null;
  transportOrgId?: number;
  facilityIds?: readonly number[];
  status?: string;
  need?: string;
  foundFrom?: number;
  foundBefore?: number;
  unplaced?: boolean;
  /** Keyset cursor: the last id of the previous page. */
  cursor?: number;
  /** Oldest first when listing a work queue (waiting orders); newest first otherwise. */
  order: 'oldest' | 'newest';
  limit: number;
}

export async function listOrderRows(db: Db, f: OrderListFilter): Promise<OrderRow[]> {
  let q = db.selectFrom('transfer_orders').selectAll();
  if (f.region) q = q.where(f.region.column, '=', f.region.id);
  if (f.transportOrgId !== undefined) q = q.where('transport_org_id', '=', f.transportOrgId);
  if (f.facilityIds) {
    q = f.facilityIds.length ? q.where('facility_id', 'in', [...f.facilityIds]) : q.where('id', '<', 0);
  }
  if (f.status) q = q.where('status', '=', f.status);
  if (f.need) q = q.where('need', '=', f.need);
  if (f.foundFrom !== undefined) q = q.where('found_at', '>=', f.foundFrom);
  if (f.foundBefore !== undefined) q = q.where('found_at', '<', f.foundBefore);
  if (f.unplaced !== undefined) q = q.where('unplaced_at', f.unplaced ? 'is not' : 'is', null);
  if (f.cursor !== undefined) q = q.where('id', f.order === 'oldest' ? '>' : '<', f.cursor);
  return q
    .orderBy('id', f.order === 'oldest' ? 'asc' : 'desc')
    .limit(f.limit)
    .execute();
}

/** Orders of a district and need that the allocator could not place (the shortage alert's count). */
export async function countUnplaced(db: Db, districtId: number, need: string): Promise<number> {
  const row = await db
    .selectFrom('transfer_orders')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('district_id', '=', districtId)
    .where('status', '=', 'waiting')
    .where('need', '=', need)
    .where('unplaced_at', 'is not', null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
