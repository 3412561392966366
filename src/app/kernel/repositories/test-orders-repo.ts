import { sql, type Selectable } from 'kysely';
import type { TestOrder, TestOrderReason, TestOrderSource } from '../../../domain/kernel/test-orders.ts';
import type { TestOrderTable } from '../../../store/schema.ts';
import { chunks, type Db } from './db.ts';
import { unindexedEquals } from '../../../store/unindexed-guard.ts';

type Row = Selectable<TestOrderTable>;

export function toTestOrder(r: Row): TestOrder {
  return {
    id: r.id,
    personId: r.person_id,
    districtId: r.district_id,
    reason: r.reason,
    notBefore: r.not_before_at ?? r.created_at,
    dueAt: r.due_at,
    source: { type: r.source_type, id: r.source_id },
    status: r.status,
    fulfilledAt: r.fulfilled_at,
    fulfilledBy: r.fulfilled_by,
    cancelledReason: r.cancelled_reason,
    overdueAt: r.overdue_at,
    createdAt: r.created_at,
  };
}

export interface NewTestOrderRow {
  district_id: number;
  person_id: number;
  reason: TestOrderReason;
  due_at: number;
  not_before_at: number;
  source_type: string;
  source_id: string;
  created_at: number;
}

/** Inserts orders; one that exists by identity (person, reason, source, due) is skipped, not duplicated. */
export async function insertTestOrders(db: Db, rows: readonly NewTestOrderRow[]): Promise<TestOrder[]> {
  const out: TestOrder[] = [];
  for (const chunk of chunks(rows, 300)) {
    const inserted = await db
      .insertInto('test_orders')
      .values(
        chunk.map((r) => ({
          ...r,
          status: 'open' as const,
          fulfilled_at: null,
          overdue_at: null,
          fulfilled_by: null,
          cancelled_reason: null,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['district_id', 'person_id', 'reason', 'source_type', 'source_id', 'due_at']).doNothing(),
      )
      .returningAll()
      .execute();
    out.push(...inserted.map(toTestOrder));
  }
  return out;
}

/** Orders of these people from these sources (to find existing identities). */
export async function ordersOfPeopleFrom(
  db: Db,
  personIds: readonly number[],
  sources: readonly TestOrderSource[],
): Promise<TestOrder[]> {
  const out: TestOrder[] = [];
  const sourceIds = [...new Set(sources.map((s) => s.id))];
  for (const chunk of chunks([...new Set(personIds)])) {
    let q = db.selectFrom('test_orders').selectAll().where('person_id', 'in', chunk);
    if (sourceIds.length <= 200) q = q.where('source_id', 'in', sourceIds);
    out.push(...(await q.execute()).map(toTestOrder));
  }
  return out;
}

/**
 * People's open orders, each person's soonest due first. Sorted here, not in SQL: with
 * `order by due_at` SQLite walks the (status, due_at) index through every open order in the city
 * (18 ms a call once a lockdown has ordered 190,000 day tests, 180 s for a day's results) instead
 * of seeking (person_id, status). Rows come in id order, so equal due times keep their order.
 */
export async function openOrdersOfPeople(
  db: Db,
  personIds: readonly number[],
): Promise<Map<number, TestOrder[]>> {
  const out = new Map<number, TestOrder[]>();
  for (const chunk of chunks([...new Set(personIds)])) {
    const rows = await db
      .selectFrom('test_orders')
      .selectAll()
      .where('person_id', 'in', chunk)
      .where('status', '=', 'open')
      .orderBy('id')
      .execute();
    for (const order of rows.map(toTestOrder)) {
      const orders = out.get(order.personId);
      if (orders) orders.push(order);
      else out.set(order.personId, [order]);
    }
  }
  for (const orders of out.values()) orders.sort((a, b) => a.dueAt - b.dueAt);
  return out;
}

export interface TestOrderFilter {
  ids?: readonly number[];
  source?: TestOrderSource;
  personId?: number;
  reason?: TestOrderReason;
}

export async function findOpenOrders(db: Db, filter: TestOrderFilter): Promise<TestOrder[]> {
  if (!filter.ids && !filter.source && filter.personId === undefined) {
    throw new Error('findOpenOrders needs ids, a source or a person');
  }
  const out: TestOrder[] = [];
  for (const ids of filter.ids ? chunks([...filter.ids]) : [null]) {
    let q = db.selectFrom('test_orders').selectAll().where('status', '=', 'open');
    if (ids) q = q.where('id', 'in', ids.length ? ids : [-1]);
    if (filter.source) {
      q = q.where('source_type', '=', filter.source.type).where('source_id', '=', filter.source.id);
    }
    if (filter.personId !== undefined) q = q.where('person_id', '=', filter.personId);
    if (filter.reason) q = q.where('reason', '=', filter.reason);
    out.push(...(await q.orderBy('id').execute()).map(toTestOrder));
  }
  return out;
}

/** Closes orders (fulfilled or cancelled); only open ones change, so a repeat is harmless. */
export async function closeOrders(
  db: Db,
  districtId: number,
  ids: readonly number[],
  change:
    | { status: 'fulfilled'; fulfilledAt: number; fulfilledBy: string }
    | { status: 'cancelled'; reason: string },
): Promise<void> {
  const set =
    change.status === 'fulfilled'
      ? { status: change.status, fulfilled_at: change.fulfilledAt, fulfilled_by: change.fulfilledBy }
      : { status: change.status, cancelled_reason: change.reason };
  for (const chunk of chunks(ids)) {
    await db
      .updateTable('test_orders')
      .set(set)
      .where(unindexedEquals(db, 'district_id', districtId))
      .where('id', 'in', chunk)
      .where(unindexedEquals(db, 'status', 'open'))
      .execute();
  }
}

/**
 * Open orders past due that the clock has not yet reported, oldest first. The status is written
 * as a literal so that SQLite matches the partial index of exactly these orders (migration 0090;
 * it does not match a bound parameter against an index's condition).
 */
export async function dueForOverdue(db: Db, now: number, limit: number): Promise<TestOrder[]> {
  const rows = await db
    .selectFrom('test_orders')
    .selectAll()
    .where('status', '=', sql.lit('open'))
    .where('overdue_at', 'is', null)
    .where('due_at', '<', now)
    .orderBy('due_at')
    .limit(limit)
    .execute();
  return rows.map(toTestOrder);
}

export async function markOverdue(
  db: Db,
  districtId: number,
  ids: readonly number[],
  at: number,
): Promise<void> {
  for (const chunk of chunks(ids)) {
    await db
      .updateTable('test_orders')
      .set({ overdue_at: at })
      .where(unindexedEquals(db, 'district_id', districtId))
      .where('id', 'in', chunk)
      .where('overdue_at', 'is', null)
      .execute();
  }
}

/**
 * Whether a street still has an open order the clock reported overdue. An existence test (first
 * row), not a count: it runs for every late order answered, and a street may have thousands.
 */
export async function hasOverdueInStreet(db: Db, districtId: number, streetId: number): Promise<boolean> {
  const row = await db
    .selectFrom('test_orders as t')
    .innerJoin('people as p', (j) =>
      j.onRef('p.id', '=', 't.person_id').onRef('p.district_id', '=', 't.district_id'),
    )
    .select('t.id')
    .where('t.district_id', '=', districtId)
    .where('p.street_id', '=', streetId)
    .where('t.status', '=', 'open')
    .where('t.overdue_at', 'is not', null)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
