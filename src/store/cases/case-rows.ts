import type { Insertable, Selectable } from 'kysely';
import { idChunks, type Db } from './db.ts';
import { insertRows } from './statements.ts';
import type { CaseTable, StateTransitionTable } from './tables.ts';

export type CaseRow = Selectable<CaseTable>;
export type NewCaseRow = Insertable<CaseTable>;
export type TransitionRow = Selectable<StateTransitionTable>;

/**
 * Inserts a case unless its source key is already taken in the district (the unique index
 * decides, also between concurrent writers). Returns the new row, or null when it existed.
 */
export async function insertCase(db: Db, row: NewCaseRow): Promise<CaseRow | null> {
  const inserted = await db
    .insertInto('cases')
    .values(row)
    .onConflict((oc) => oc.columns(['district_id', 'source_key']).doNothing())
    .returningAll()
    .executeTakeFirst();
  return inserted ?? null;
}

export async function findCaseBySource(
  db: Db,
  districtId: number,
  sourceKey: string,
): Promise<CaseRow | undefined> {
  return db
    .selectFrom('cases')
    .selectAll()
    .where('district_id', '=', districtId)
    .where('source_key', '=', sourceKey)
    .executeTakeFirst();
}

/** The person's case that is neither discharged nor dead, if any. */
export async function findLiveCaseOfPerson(db: Db, personId: number): Promise<CaseRow | undefined> {
  return db
    .selectFrom('cases')
    .selectAll()
    .where('person_id', '=', personId)
    .where('state', 'not in', ['discharged', 'died'])
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

export async function findCase(db: Db, id: number): Promise<CaseRow | undefined> {
  return db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findCases(db: Db, ids: readonly number[]): Promise<CaseRow[]> {
  const out: CaseRow[] = [];
  for (const chunk of idChunks(ids)) {
    out.push(...(await db.selectFrom('cases').selectAll().where('id', 'in', chunk).execute()));
  }
  return out;
}

/** What a case move reads of a case: its state and where its events go. */
export type CaseHead = Pick<
  CaseRow,
  'id' | 'person_id' | 'district_id' | 'street_id' | 'committee_id' | 'state'
>;

/** The heads of many cases: a batch move needs no more than this of the (wide) case rows. */
export async function findCaseHeads(db: Db, ids: readonly number[]): Promise<CaseHead[]> {
  const out: CaseHead[] = [];
  for (const chunk of idChunks(ids)) {
    out.push(
      ...(await db
        .selectFrom('cases')
        .select(['id', 'person_id', 'district_id', 'street_id', 'committee_id', 'state'])
        .where('id', 'in', chunk)
        .execute()),
    );
  }
  return out;
}

/** Moves cases to a state in one statement per chunk (the caller has checked each move). */
export async function setCaseState(
  db: Db,
  ids: readonly number[],
  state: string,
  at: number,
  facilityId?: number | null,
): Promise<void> {
  for (const chunk of idChunks(ids)) {
    await db
      .updateTable('cases')
      .set({ state, state_at: at, ...(facilityId !== undefined ? { facility_id: facilityId } : {}) })
      .where('id', 'in', chunk)
      .execute();
  }
}

export async function setCaseSeverity(db: Db, id: number, severity: string): Promise<void> {
  await db.updateTable('cases').set({ severity }).where('id', '=', id).execute();
}

const TRANSITION_COLUMNS = [
  'district_id',
  'subject_type',
  'subject_id',
  'from_state',
  'to_state',
  'at',
  'actor_user_id',
  'actor',
  'reason',
] as const;

/** Every step of every order and case writes one: the SQL is written out (statements.ts). */
export async function insertTransitions(
  db: Db,
  rows: readonly Insertable<StateTransitionTable>[],
): Promise<void> {
  await insertRows(db, 'state_transitions', TRANSITION_COLUMNS, rows);
}

/** A subject's moves, oldest first; the district (the subject row's) leads the index. */
export async function listTransitions(
  db: Db,
  districtId: number,
  subjectType: StateTransitionTable['subject_type'],
  subjectId: number,
): Promise<TransitionRow[]> {
  return db
    .selectFrom('state_transitions')
    .selectAll()
    .where('district_id', '=', districtId)
    .where('subject_type', '=', subjectType)
    .where('subject_id', '=', subjectId)
    .orderBy('id')
    .execute();
}

export interface CaseListFilter {
  /** Region column and value from the caller's scope (null = the whole city). */
  region: { column: 'district_id' | 'street_id' | 'committee_id'; id: number } | null;
  state?: string;
  classification?: string;
  sampledDay?: string;
  reportedDay?: string;
  personId?: number;
  /** Keyset: ids below this one (newest first). */
  beforeId?: number;
  limit: number;
}

export async function listCaseRows(db: Db, f: CaseListFilter): Promise<CaseRow[]> {
  let q = db.selectFrom('cases').selectAll();
  if (f.region) q = q.where(f.region.column, '=', f.region.id);
  if (f.state) q = q.where('state', '=', f.state);
  if (f.classification) q = q.where('classification', '=', f.classification as CaseRow['classification']);
  if (f.sampledDay) q = q.where('sampled_day', '=', f.sampledDay);
  if (f.reportedDay) q = q.where('reported_day', '=', f.reportedDay);
  if (f.personId !== undefined) q = q.where('person_id', '=', f.personId);
  if (f.beforeId !== undefined) q = q.where('id', '<', f.beforeId);
  return q.orderBy('id', 'desc').limit(f.limit).execute();
}
