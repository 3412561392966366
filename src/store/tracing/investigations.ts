import type { Insertable, Kysely, Selectable, Transaction, Updateable } from 'kysely';
import type { Database } from '../schema.ts';
import { regionCondition, type RegionFilter } from './scope.ts';
import type { TracingInvestigationTable, TracingTimelineTable } from './tables.ts';

type Db = Kysely<Database> | Transaction<Database>;
export type InvestigationRow = Selectable<TracingInvestigationTable>;
export type TimelineRow = Selectable<TracingTimelineTable>;

const INVESTIGATION_COLUMNS = { district: 'i.district_id', street: 'i.street_id', person: 'i.person_id' };

/**
 * Opens the case's investigation once: a redelivered `case.created` finds the existing row (the
 * (district, case) key) and gets it back instead of a second one. Returns [row, created].
 */
export async function insertInvestigation(
  db: Db,
  row: Insertable<TracingInvestigationTable>,
): Promise<[InvestigationRow, boolean]> {
  const inserted = await db
    .insertInto('tracing_investigations')
    .values(row)
    .onConflict((oc) => oc.columns(['district_id', 'case_id']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return [inserted, true];
  const existing = await findInvestigationByCase(db, row.case_id);
  if (!existing) throw new Error(`investigation for case ${row.case_id} neither inserted nor found`);
  return [existing, false];
}

export async function findInvestigationByCase(db: Db, caseId: number): Promise<InvestigationRow | undefined> {
  return db.selectFrom('tracing_investigations').selectAll().where('case_id', '=', caseId).executeTakeFirst();
}

export async function findInvestigation(
  db: Db,
  id: number,
  scope: RegionFilter,
): Promise<InvestigationRow | undefined> {
  return db
    .selectFrom('tracing_investigations as i')
    .selectAll('i')
    .where('i.id', '=', id)
    .where(regionCondition(scope, INVESTIGATION_COLUMNS))
    .executeTakeFirst();
}

export async function updateInvestigation(
  db: Db,
  id: number,
  changes: Updateable<TracingInvestigationTable>,
): Promise<InvestigationRow> {
  return db
    .updateTable('tracing_investigations')
    .set(changes)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface InvestigationQuery {
  scope: RegionFilter;
  status?: TracingInvestigationTable['status'];
  sourceStatus?: TracingInvestigationTable['source_status'];
  overdueAt?: number;
  reportedFrom?: number;
  reportedUntil?: number;
  /** Keyset cursor: rows with id below it (newest first). */
  beforeId?: number;
  limit: number;
}

export async function listInvestigations(db: Db, q: InvestigationQuery): Promise<InvestigationRow[]> {
  let query = db
    .selectFrom('tracing_investigations as i')
    .selectAll('i')
    .where(regionCondition(q.scope, INVESTIGATION_COLUMNS));
  if (q.status) query = query.where('i.status', '=', q.status);
  if (q.sourceStatus) query = query.where('i.source_status', '=', q.sourceStatus);
  if (q.overdueAt != null) {
    query = query.where('i.status', '=', 'open').where('i.deadline_at', '<=', q.overdueAt);
  }
  if (q.reportedFrom != null) query = query.where('i.reported_at', '>=', q.reportedFrom);
  if (q.reportedUntil != null) query = query.where('i.reported_at', '<', q.reportedUntil);
  if (q.beforeId != null) query = query.where('i.id', '<', q.beforeId);
  return query.orderBy('i.id', 'desc').limit(q.limit).execute();
}

/** Investigations of cases reported in [from, until): "that day's cases" for a matching run. */
export async function investigationsReportedBetween(
  db: Db,
  from: number,
  until: number,
): Promise<InvestigationRow[]> {
  return db
    .selectFrom('tracing_investigations')
    .selectAll()
    .where('reported_at', '>=', from)
    .where('reported_at', '<', until)
    .orderBy('case_id')
    .execute();
}

/**
 * Open investigations past their deadline that the clock has not reported yet (partial index):
 * each is reported once, however long it then stays open.
 */
export async function dueForOverdueAlert(db: Db, now: number, limit = 1000): Promise<InvestigationRow[]> {
  return db
    .selectFrom('tracing_investigations')
    .selectAll()
    .where('status', '=', 'open')
    .where('overdue_at', 'is', null)
    .where('deadline_at', '<=', now)
    .orderBy('deadline_at')
    .limit(limit)
    .execute();
}

export async function markInvestigationsOverdue(db: Db, ids: readonly number[], at: number): Promise<void> {
  for (let i = 0; i < ids.length; i += 900) {
    await db
      .updateTable('tracing_investigations')
      .set({ overdue_at: at })
      .where('id', 'in', ids.slice(i, i + 900))
      .execute();
  }
}

export async function insertTimelineEntries(
  db: Db,
  rows: Insertable<TracingTimelineTable>[],
): Promise<TimelineRow[]> {
  if (rows.length === 0) return [];
  return db.insertInto('tracing_timeline').values(rows).returningAll().execute();
}

export async function timelineOf(db: Db, investigationId: number): Promise<TimelineRow[]> {
  return db
    .selectFrom('tracing_timeline')
    .selectAll()
    .where('investigation_id', '=', investigationId)
    .orderBy('from_at')
    .orderBy('id')
    .execute();
}

/** Timeline stays at known places for many investigations at once (matching input). */
export async function placedTimelineOf(db: Db, investigationIds: readonly number[]): Promise<TimelineRow[]> {
  const out: TimelineRow[] = [];
  for (let i = 0; i < investigationIds.length; i += 900) {
    const chunk = investigationIds.slice(i, i + 900);
    out.push(
      ...(await db
        .selectFrom('tracing_timeline')
        .selectAll()
        .where('investigation_id', 'in', chunk)
        .where('place_id', 'is not', null)
        .execute()),
    );
  }
  return out;
}
