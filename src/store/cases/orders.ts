import { type Insertable, type Selectable, type Updateable } from 'kysely';
import { idChunks, integerById, type Db } from './db.ts';
import { updateByValues } from './statements.ts';
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

/**
 * What a step reads of an order when it returns no order rows (admission): the state it checks,
 * the regions and organisations its events go to, and their payload. Half the columns of a full
 * row, and reading a column into a row object was the larger part of reading the row.
 */
export const ORDER_STEP_COLUMNS = [
  'id',
  'district_id',
  'street_id',
  'committee_id',
  'person_id',
  'case_id',
  'kind',
  'need',
  'status',
  'found_at',
  'facility_id',
  'facility_district_id',
  'bed_kind',
  'bed_no',
  'transport_org_id',
  'vehicle',
] as const;

export type OrderStepRow = Pick<OrderRow, (typeof ORDER_STEP_COLUMNS)[number]>;

export async function findOrderSteps(db: Db, ids: readonly number[]): Promise<OrderStepRow[]> {
  const out: OrderStepRow[] = [];
  for (const chunk of idChunks(ids)) {
    out.push(
      ...(await db
        .selectFrom('transfer_orders')
        .select(ORDER_STEP_COLUMNS)
        .where('id', 'in', chunk)
        .execute()),
    );
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
 * per-order columns come from a VALUES list joined on the id, the rest (`patch`) is common. (The
 * earlier form, a CASE per column, compared each row's id with every arm of five CASEs and cost
 * the query builder some 2 µs a row to compile.)
 */
export async function updateOrdersPlaced(
  db: Db,
  placements: readonly OrderPlacement[],
  patch: OrderPatch,
): Promise<void> {
  await updateByValues(
    db,
    'transfer_orders',
    [
      { column: 'facility_id', type: 'bigint' },
      { column: 'proposed_facility_id', type: 'bigint' },
      { column: 'facility_district_id', type: 'bigint' },
      { column: 'bed_kind', type: 'text' },
      { column: 'bed_no', type: 'integer' },
    ],
    placements.map((p) => [p.id, p.facilityId, p.facilityId, p.facilityDistrictId, p.bedKind, p.bedNo]),
    patch,
  );
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
