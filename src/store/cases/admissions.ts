import type { Insertable, Selectable } from 'kysely';
import { chunked, idChunks, integerById, type Db } from './db.ts';
import type { AdmissionTable, StayTestTable } from './tables.ts';

export type AdmissionRow = Selectable<AdmissionTable>;
export type StayTestRow = Selectable<StayTestTable>;

export async function insertAdmissions(
  db: Db,
  rows: readonly Insertable<AdmissionTable>[],
): Promise<AdmissionRow[]> {
  const out: AdmissionRow[] = [];
  for (const chunk of chunked(rows, 200)) {
    out.push(...(await db.insertInto('admissions').values(chunk).returningAll().execute()));
  }
  return out;
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

/** Records each stay's control episode, one statement per chunk (a CASE picks the episode by id). */
export async function setAdmissionEpisodes(
  db: Db,
  pairs: readonly { id: number; episodeId: number }[],
): Promise<void> {
  const episodeOf = new Map(pairs.map((p) => [p.id, p.episodeId]));
  for (const ids of idChunks([...episodeOf.keys()], 256)) {
    await db
      .updateTable('admissions')
      .set({ episode_id: integerById(ids, (id) => episodeOf.get(id)!) })
      .where('id', 'in', ids)
      .execute();
  }
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
