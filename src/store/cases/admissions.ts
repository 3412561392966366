import type { Insertable, Selectable } from 'kysely';
import type { Db } from './db.ts';
import { insertRows, updateByValues } from './statements.ts';
import type { AdmissionTable, StayTestTable } from './tables.ts';

export type AdmissionRow = Selectable<AdmissionTable>;
export type StayTestRow = Selectable<StayTestTable>;

const ADMISSION_COLUMNS = [
  'district_id',
  'person_id',
  'case_id',
  'order_id',
  'kind',
  'need',
  'facility_id',
  'facility_district_id',
  'bed_kind',
  'bed_no',
  'admitted_at',
  'admitted_day',
  'admitted_by',
  'episode_id',
  'ended_at',
  'ended_day',
  'outcome',
  'end_reason',
  'override_reason',
  'ended_by',
] as const satisfies readonly (keyof AdmissionRow)[];

/**
 * Inserts stays (one per order) and returns them with their ids. Only the ids come back from the
 * database, matched by order (RETURNING promises no order): the rest is what was written.
 */
export async function insertAdmissions(
  db: Db,
  rows: readonly Omit<AdmissionRow, 'id'>[],
): Promise<AdmissionRow[]> {
  const returned = await insertRows(db, 'admissions', ADMISSION_COLUMNS, rows, {
    max: 128,
    returning: ['id', 'order_id'],
  });
  const idOfOrder = new Map(returned.map((r) => [Number(r.order_id), Number(r.id)]));
  return rows.map((row) => ({ ...row, id: idOfOrder.get(row.order_id)! }));
}

export async function findAdmission(db: Db, id: number): Promise<AdmissionRow | undefined> {
  return db.selectFrom('admissions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The person's stay that has not ended, if any. */
export async function findLiveAdmissionOfCase(db: Db, caseId: number): Promise<AdmissionRow | undefined> {
  return db
    .selectFrom('admissions')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
}

/** Records each stay's control episode, one statement per chunk (the episode joined by stay id). */
export async function setAdmissionEpisodes(
  db: Db,
  pairs: readonly { id: number; episodeId: number }[],
): Promise<void> {
  await updateByValues(
    db,
    'admissions',
    [{ column: 'episode_id', type: 'bigint' }],
    pairs.map((p) => [p.id, p.episodeId]),
  );
}

export async function endAdmission(
  db: Db,
  id: number,
  end: {
    at: number;
    day: string;
    outcome: 'discharged' | 'died';
    reason: string;
    overrideReason: string | null;
    by: number | null;
  },
): Promise<void> {
  await db
    .updateTable('admissions')
    .set({
      ended_at: end.at,
      ended_day: end.day,
      outcome: end.outcome,
      end_reason: end.reason,
      override_reason: end.overrideReason,
      ended_by: end.by,
    })
    .where('id', '=', id)
    .execute();
}

export interface AdmissionListFilter {
  facilityIds?: readonly number[];
  region: { column: 'district_id' | 'facility_district_id'; id: number } | null;
  live?: boolean;
  beforeId?: number;
  limit: number;
}

export async function listAdmissionRows(db: Db, f: AdmissionListFilter): Promise<AdmissionRow[]> {
  let q = db.selectFrom('admissions').selectAll();
  if (f.facilityIds) q = q.where('facility_id', 'in', f.facilityIds.length ? [...f.facilityIds] : [-1]);
  if (f.region) q = q.where(f.region.column, '=', f.region.id);
  if (f.live !== undefined) q = q.where('ended_at', f.live ? 'is' : 'is not', null);
  if (f.beforeId !== undefined) q = q.where('id', '<', f.beforeId);
  return q.orderBy('id', 'desc').limit(f.limit).execute();
}

export async function insertStayTest(db: Db, row: Insertable<StayTestTable>): Promise<StayTestRow> {
  return db.insertInto('stay_tests').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function stayTests(db: Db, admissionId: number): Promise<StayTestRow[]> {
  return db
    .selectFrom('stay_tests')
    .selectAll()
    .where('admission_id', '=', admissionId)
    .orderBy('sampled_at')
    .execute();
}
