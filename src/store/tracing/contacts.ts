import {
  sql,
  type Insertable,
  type Kysely,
  type Selectable,
  type SqlBool,
  type Transaction,
  type Updateable,
  type Expression,
} from 'kysely';
import type { Database } from '../schema.ts';
import { regionCondition, type RegionFilter } from './scope.ts';
import type { TracingContactTable } from './tables.ts';

type Db = Kysely<Database> | Transaction<Database>;
export type ContactRow = Selectable<TracingContactTable>;

/** 20 columns a row: 1,000 rows stay under SQLite's 32,766 bound parameters. */
const CHUNK = 1000;

/**
 * Inserts contacts, skipping any (case, person) already recorded — rule contacts from a
 * redelivered event, a proposal for someone a tracer already added. Returns the rows actually
 * inserted, so the caller publishes and plans only for those.
 */
export async function insertContacts(db: Db, rows: Insertable<TracingContactTable>[]): Promise<ContactRow[]> {
  const out: ContactRow[] = [];
  for (let i = 0; i < rows.length; i += CHUNK) {
    const inserted = await db
      .insertInto('tracing_contacts')
      .values(rows.slice(i, i + CHUNK))
      .onConflict((oc) => oc.columns(['district_id', 'case_id', 'person_id']).doNothing())
      .returningAll()
      .execute();
    out.push(...inserted);
  }
  return out;
}

export async function contactOfCase(
  db: Db,
  caseId: number,
  personId: number,
): Promise<ContactRow | undefined> {
  return db
    .selectFrom('tracing_contacts')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
}

/**
 * A contact is visible to a region scope that holds either the contact (where they live — the
 * district they were pushed to) or the case that exposed them (the tracers who found them).
 */
function visibleTo(scope: RegionFilter): Expression<SqlBool> {
  if (scope.level === 'city') return sql<SqlBool>`1 = 1`;
  const own = regionCondition(scope, {
    district: 'c.district_id',
    street: 'c.street_id',
    person: 'c.person_id',
  });
  const viaCase = regionCondition(scope, {
    district: 'i.district_id',
    street: 'i.street_id',
    person: 'i.person_id',
  });
  return sql<SqlBool>`(${own} or "c"."case_id" in (select "i"."case_id" from "tracing_investigations" as "i" where ${viaCase}))`;
}

export async function findContact(db: Db, id: number, scope: RegionFilter): Promise<ContactRow | undefined> {
  return db
    .selectFrom('tracing_contacts as c')
    .selectAll('c')
    .where('c.id', '=', id)
    .where(visibleTo(scope))
    .executeTakeFirst();
}

export interface ContactQuery {
  scope: RegionFilter;
  caseId?: number;
  status?: TracingContactTable['status'];
  degree?: TracingContactTable['degree'];
  /** Only contacts living in this district (e.g. "pushed to us"). */
  districtId?: number;
  beforeId?: number;
  limit: number;
}

export async function listContacts(db: Db, q: ContactQuery): Promise<ContactRow[]> {
  let query = db.selectFrom('tracing_contacts as c').selectAll('c').where(visibleTo(q.scope));
  if (q.caseId != null) query = query.where('c.case_id', '=', q.caseId);
  if (q.status) query = query.where('c.status', '=', q.status);
  if (q.degree) query = query.where('c.degree', '=', q.degree);
  if (q.districtId != null) query = query.where('c.district_id', '=', q.districtId);
  if (q.beforeId != null) query = query.where('c.id', '<', q.beforeId);
  return query.orderBy('c.id', 'desc').limit(q.limit).execute();
}

export async function updateContact(
  db: Db,
  id: number,
  changes: Updateable<TracingContactTable>,
): Promise<ContactRow> {
  return db
    .updateTable('tracing_contacts')
    .set(changes)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A person's live contact records (proposed or under a plan), most recent first. */
export async function liveContactsOfPerson(db: Db, personId: number): Promise<ContactRow[]> {
  return db
    .selectFrom('tracing_contacts')
    .selectAll()
    .where('person_id', '=', personId)
    .where('status', 'in', ['proposed', 'confirmed'])
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export async function contactCountsOfCase(
  db: Db,
  caseId: number,
): Promise<{ degree: string; status: string; n: number }[]> {
  const rows = await db
    .selectFrom('tracing_contacts')
    .select(['degree', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('case_id', '=', caseId)
    .groupBy(['degree', 'status'])
    .execute();
  return rows.map((r) => ({ degree: r.degree, status: r.status, n: Number(r.n) }));
}
