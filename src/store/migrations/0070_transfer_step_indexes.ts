import type { Kysely } from 'kysely';
import { createIndex } from './ddl.ts';

/**
 * Indexes that a transfer step no longer rewrites page by page (bench transfer, ../docs/CASES.md).
 *
 * A step moves a convoy's orders, all of one district but scattered among the day's rows. With
 * state_transitions indexed by (subject_type, subject_id) each transition's entry lands next to
 * its subject's earlier ones across the whole day's range, so a step of 300 orders rewrote some
 * 260 index pages; led by the district (as the table is distributed, ADR 0003) the same entries
 * fall in that district's range, a quarter as many pages. Every reader has the subject's row, so
 * knows its district.
 *
 * Cases were indexed by (person_id, state), so every state change (dispatch, admission) moved an
 * entry to a random page of a person-ordered index. The look-ups by person ("the person's live
 * case") read the person's one or two cases by person_id alone and check the state on the row.
 */
export function transferStepIndexesMigration() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('state_transitions_subject_type_subject_id_idx').execute();
      await createIndex(db, 'state_transitions', ['district_id', 'subject_type', 'subject_id']);
      await db.schema.dropIndex('cases_person_id_state_idx').execute();
      await createIndex(db, 'cases', ['person_id']);
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('cases_person_id_idx').execute();
      await createIndex(db, 'cases', ['person_id', 'state']);
      await db.schema.dropIndex('state_transitions_district_id_subject_type_subject_id_idx').execute();
      await createIndex(db, 'state_transitions', ['subject_type', 'subject_id']);
    },
  };
}
