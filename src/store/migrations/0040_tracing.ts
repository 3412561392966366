import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../database.ts';
import { col, createIndex, createTable, nullable } from './ddl.ts';

/**
 * Contact tracing (issue 6, docs/TRACING.md). Hot tables lead with the district on PostgreSQL
 * (ADR 0003): investigations, timeline and source links by the case's district, contacts by the
 * contact's own district (the district whose tracers and streets act on them), check-ins by the
 * venue's district (matching joins on the venue).
 */
export function tracingMigration(dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const t = (spec: Parameters<typeof createTable>[2]) => createTable(db, dialect, spec);

      await t({
        name: 'tracing_investigations',
        key: ['id'],
        distributedBy: 'district_id',
        columns: [
          col('id', 'serial'),
          col('district_id', 'id'),
          col('street_id', 'id'),
          col('case_id', 'id'),
          col('person_id', 'id'),
          nullable('household_id', 'id'),
          nullable('place_id', 'id'),
          col('status', 'text'),
          nullable('tracer_user_id', 'id'),
          nullable('onset_at', 'time'),
          col('sampled_at', 'time'),
          col('reported_at', 'time'),
          col('exposure_from_at', 'time'),
          col('deadline_at', 'time'),
          nullable('completed_at', 'time'),
          // When the clock found it past its deadline (so the alert is raised once, not every tick).
          nullable('overdue_at', 'time'),
          nullable('classification', 'text'),
          col('source_status', 'text'),
          // The case's cluster label (a case id); equal to case_id while the case is linked to nobody.
          col('cluster_id', 'id'),
          nullable('summary', 'text'),
          col('created_at', 'time'),
          col('updated_at', 'time'),
        ],
      });
      await createIndex(db, 'tracing_investigations', ['district_id', 'case_id'], {
        unique: true,
        name: 'tracing_investigations_case_uq',
      });
      await createIndex(db, 'tracing_investigations', ['case_id']);
      await createIndex(db, 'tracing_investigations', ['person_id']);
      await createIndex(db, 'tracing_investigations', ['cluster_id']);
      await createIndex(db, 'tracing_investigations', ['reported_at']);
      await createIndex(db, 'tracing_investigations', ['deadline_at'], {
        name: 'tracing_investigations_overdue_sweep_idx',
        where: "status = 'open' and overdue_at is null",
      });
      await createIndex(db, 'tracing_investigations', ['source_status', 'district_id', 'reported_at']);

      await t({
        name: 'tracing_timeline',
        key: ['id'],
        distributedBy: 'district_id',
        columns: [
          col('id', 'serial'),
          col('district_id', 'id'),
          col('investigation_id', 'id'),
          col('case_id', 'id'),
          nullable('place_id', 'id'),
          nullable('place_district_id', 'id'),
          col('description', 'text', { default: "''" }),
          col('from_at', 'time'),
          col('until_at', 'time'),
          nullable('created_by', 'id'),
          col('created_at', 'time'),
        ],
      });
      await createIndex(db, 'tracing_timeline', ['investigation_id', 'from_at']);

      await t({
        name: 'tracing_contacts',
        key: ['id'],
        distributedBy: 'district_id',
        columns: [
          col('id', 'serial'),
          col('district_id', 'id'),
          col('street_id', 'id'),
          col('person_id', 'id'),
          col('case_id', 'id'),
          col('case_district_id', 'id'),
          col('degree', 'text'),
          col('status', 'text'),
          col('exposure_kind', 'text'),
          nullable('exposure_place_id', 'id'),
          nullable('exposure_at', 'time'),
          nullable('exposure_note', 'text'),
          nullable('via_contact_id', 'id'),
          col('proposed_by', 'text'),
          col('created_at', 'time'),
          nullable('decided_at', 'time'),
          nullable('decided_by', 'id'),
          nullable('decision_reason', 'text'),
          nullable('plan_edition', 'text'),
          nullable('plan_until_at', 'time'),
          nullable('became_case_id', 'id'),
        ],
      });
      // One record per (case, person): the idempotency key of rule contacts and match proposals.
      await createIndex(db, 'tracing_contacts', ['district_id', 'case_id', 'person_id'], {
        unique: true,
        name: 'tracing_contacts_case_person_uq',
      });
      await createIndex(db, 'tracing_contacts', ['case_id', 'degree']);
      await createIndex(db, 'tracing_contacts', ['person_id', 'status']);
      await createIndex(db, 'tracing_contacts', ['status', 'district_id', 'street_id']);

      await t({
        name: 'tracing_source_links',
        key: ['id'],
        distributedBy: 'district_id',
        columns: [
          col('id', 'serial'),
          col('district_id', 'id'),
          col('case_id', 'id'),
          col('source_case_id', 'id'),
          col('source_district_id', 'id'),
          col('certainty', 'text'),
          col('basis', 'text'),
          nullable('contact_id', 'id'),
          col('cluster_id', 'id'),
          nullable('note', 'text'),
          nullable('created_by', 'id'),
          col('created_at', 'time'),
        ],
      });
      await createIndex(db, 'tracing_source_links', ['district_id', 'case_id', 'source_case_id'], {
        unique: true,
        name: 'tracing_source_links_uq',
      });
      await createIndex(db, 'tracing_source_links', ['cluster_id']);
      await createIndex(db, 'tracing_source_links', ['case_id']);
      await createIndex(db, 'tracing_source_links', ['source_case_id']);

      await t({
        name: 'tracing_clusters',
        key: ['id'],
        columns: [
          col('id', 'id'),
          col('size', 'int'),
          col('district_id', 'id'),
          col('first_reported_at', 'time'),
          col('last_reported_at', 'time'),
          col('updated_at', 'time'),
        ],
      });
      await createIndex(db, 'tracing_clusters', ['size']);

      await createCheckinsTable(db, dialect);
    },
  };
}

/**
 * Check-ins are the one table written by the million a day, so it is shaped for its two reads and
 * nothing else. Its key (venue, time, person) is the matching index itself — on SQLite a WITHOUT
 * ROWID table, so the rows live in that order and no separate rowid tree is written — and makes a
 * re-sent upload a no-op. The second index finds a case's own check-ins.
 */
async function createCheckinsTable(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const int = dialect === 'sqlite' ? 'integer' : 'bigint';
  const columns = ['venue_id', 'at', 'person_id', 'district_id', 'person_district_id']
    .map((c) => `"${c}" ${int} not null`)
    .join(', ');
  if (dialect === 'sqlite') {
    await sql
      .raw(
        `create table "tracing_checkins" (${columns}, primary key ("venue_id", "at", "person_id")) without rowid`,
      )
      .execute(db);
  } else {
    await sql
      .raw(
        `create table "tracing_checkins" (${columns}, primary key ("district_id", "venue_id", "at", "person_id"))`,
      )
      .execute(db);
  }
  await createIndex(db, 'tracing_checkins', ['person_id', 'at']);
}
