import type { Kysely } from 'kysely';
import type { DialectName } from '../database.ts';
import { col, createIndex, createTable, nullable } from './ddl.ts';

/** Registry, access, audit and the shared kernel: the ground every capability stands on. */
export function foundationMigration(dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const t = (spec: Parameters<typeof createTable>[2]) => createTable(db, dialect, spec);

      await t({
        name: 'regions',
        key: ['id'],
        columns: [
          col('id', 'id'),
          nullable('parent_id', 'id'),
          col('level', 'text'),
          col('code', 'text'),
          col('name', 'text'),
          col('name_en', 'text'),
          nullable('district_id', 'id'),
          nullable('street_id', 'id'),
          col('population', 'int', { default: '0' }),
          nullable('area_km2', 'real'),
          nullable('geometry', 'json'),
          nullable('lng', 'real'),
          nullable('lat', 'real'),
        ],
      });
      await createIndex(db, 'regions', ['parent_id']);
      await createIndex(db, 'regions', ['code'], { unique: true });

      await t({
        name: 'places',
        key: ['id'],
        distributedBy: 'district_id',
        columns: [
          col('id', 'id'),
          col('district_id', 'id'),
          col('street_id', 'id'),
          nullable('committee_id', 'id'),
          col('kind', 'text'),
          col('name', 'text'),
          nullable('parent_place_id', 'id'),
          nullable('floors', 'int'),
          col('address', 'text', { default: "''" }),
          nullable('lng', 'real'),
          nullable('lat', 'real'),
        ],
      });
      await createIndex(db, 'places', ['street_id', 'kind']);
      await createIndex(db, 'places', ['parent_place_id']);

      await t({
        name: 'households',
        key: ['id'],
        distributedBy: 'district_id',
        columns: [
          col('id', 'id'),
          col('district_id', 'id'),
          col('street_id', 'id'),
          nullable('committee_id', 'id'),
          nullable('place_id', 'id'),
          nullable('floor', 'int'),
          nullable('room', 'text'),
        ],
      });
      await createIndex(db, 'households', ['place_id']);

      await t({
        name: 'people',
        key: ['id'],
        distributedBy: 'district_id',
        columns: [
          col('id', 'id'),
          col('district_id', 'id'),
          col('street_id', 'id'),
          nullable('committee_id', 'id'),
          nullable('household_id', 'id'),
          nullable('place_id', 'id'),
          col('ref', 'text'),
          nullable('id_hash', 'text'),
          nullable('name', 'text'),
          nullable('phone', 'text'),
          nullable('birth_year', 'int'),
          nullable('sex', 'text'),
          nullable('floor', 'int'),
          nullable('workplace_org_id', 'id'),
          nullable('occupation', 'text'),
          col('vulnerable', 'text', { default: "''" }),
          col('created_at', 'time'),
          nullable('last_activity_at', 'time'),
          nullable('purged_at', 'time'),
        ],
      });
      await createFoundationPeopleIndexes(db, dialect);

      await t({
        name: 'organisations',
        key: ['id'],
        columns: [
          col('id', 'id'),
          col('district_id', 'id'),
          nullable('street_id', 'id'),
          col('kind', 'text'),
          col('name', 'text'),
          nullable('place_id', 'id'),
          nullable('sector', 'text'),
          nullable('daily_capacity', 'int'),
        ],
      });
      await createIndex(db, 'organisations', ['district_id', 'kind']);

      await t({
        name: 'sampling_sites',
        key: ['id'],
        columns: [
          col('id', 'id'),
          col('district_id', 'id'),
          col('street_id', 'id'),
          col('organisation_id', 'id'),
          col('kind', 'text'),
          col('name', 'text'),
          col('hourly_capacity', 'int'),
          nullable('lng', 'real'),
          nullable('lat', 'real'),
        ],
      });
      await createIndex(db, 'sampling_sites', ['street_id']);

      await t({
        name: 'facilities',
        key: ['id'],
        columns: [
          col('id', 'id'),
          col('district_id', 'id'),
          nullable('street_id', 'id'),
          col('organisation_id', 'id'),
          col('kind', 'text'),
          col('name', 'text'),
          col('staff', 'int', { default: '0' }),
          col('admits', 'json', { default: "'[]'" }),
          nullable('lng', 'real'),
          nullable('lat', 'real'),
        ],
      });
      await createIndex(db, 'facilities', ['district_id', 'kind']);

      await t({
        name: 'facility_beds',
        key: ['facility_id', 'bed_kind'],
        columns: [
          col('facility_id', 'id'),
          col('district_id', 'id'),
          col('bed_kind', 'text'),
          col('total', 'int'),
        ],
      });

      await t({
        name: 'users',
        key: ['id'],
        columns: [
          col('id', 'serial'),
          col('username', 'text'),
          col('password_hash', 'text'),
          col('role', 'text'),
          col('display_name', 'text', { default: "''" }),
          nullable('scope_region_id', 'id'),
          nullable('scope_organisation_id', 'id'),
          nullable('scope_person_id', 'id'),
          col('created_at', 'time'),
          nullable('disabled_at', 'time'),
        ],
      });
      await createIndex(db, 'users', ['username'], { unique: true });

      await t({
        name: 'audit_log',
        key: ['seq'],
        columns: [
          col('seq', 'id'),
          col('at', 'time'),
          nullable('user_id', 'id'),
          nullable('username', 'text'),
          nullable('role', 'text'),
          col('action', 'text'),
          col('subject_type', 'text'),
          col('subject_ids', 'json'),
          col('fields', 'json'),
          nullable('reason', 'text'),
          nullable('request_id', 'text'),
          col('prev_hash', 'text'),
          col('hash', 'text'),
        ],
      });
      await t({
        name: 'audit_head',
        key: ['id'],
        columns: [col('id', 'id'), col('seq', 'id'), col('hash', 'text'), col('updated_at', 'time')],
      });

      await t({
        name: 'events',
        key: ['id'],
        columns: [
          col('id', 'serial'),
          nullable('seq', 'id'),
          col('type', 'text'),
          col('occurred_at', 'time'),
          col('region_ids', 'json'),
          col('organisation_ids', 'json', { default: "'[]'" }),
          nullable('person_id', 'id'),
          col('payload', 'json'),
        ],
      });
      await createIndex(db, 'events', ['seq'], { unique: true });
      await createIndex(db, 'events', ['id'], { name: 'events_undelivered_idx', where: 'seq is null' });

      await t({
        name: 'consumer_offsets',
        key: ['consumer'],
        columns: [col('consumer', 'text'), col('last_seq', 'id')],
      });

      await t({
        name: 'control_episodes',
        key: ['id'],
        distributedBy: 'district_id',
        columns: [
          col('id', 'serial'),
          col('district_id', 'id'),
          col('person_id', 'id'),
          col('kind', 'text'),
          col('from_at', 'time'),
          nullable('until_at', 'time'),
          col('source_type', 'text'),
          col('source_id', 'text'),
          nullable('ended_reason', 'text'),
          col('created_at', 'time'),
        ],
      });
      await createIndex(db, 'control_episodes', ['person_id', 'from_at']);
      await createIndex(db, 'control_episodes', ['source_type', 'source_id']);

      await t({
        name: 'test_orders',
        key: ['id'],
        distributedBy: 'district_id',
        columns: [
          col('id', 'serial'),
          col('district_id', 'id'),
          col('person_id', 'id'),
          col('reason', 'text'),
          col('due_at', 'time'),
          col('source_type', 'text'),
          col('source_id', 'text'),
          col('status', 'text'),
          nullable('fulfilled_at', 'time'),
          col('created_at', 'time'),
        ],
      });
      await createIndex(db, 'test_orders', ['person_id', 'status']);
      await createIndex(db, 'test_orders', ['status', 'due_at']);

      await t({
        name: 'alerts',
        key: ['id'],
        columns: [
          col('id', 'serial'),
          col('rule', 'text'),
          col('level', 'text'),
          nullable('district_id', 'id'),
          col('region_ids', 'json'),
          col('subject_type', 'text'),
          col('subject_id', 'text'),
          nullable('open_key', 'text'),
          col('details', 'json'),
          col('opened_at', 'time'),
          nullable('owner_user_id', 'id'),
          nullable('acknowledged_at', 'time'),
          nullable('acknowledged_by', 'id'),
          nullable('resolved_at', 'time'),
          nullable('resolved_by', 'id'),
          nullable('resolution', 'text'),
        ],
      });
      await createIndex(db, 'alerts', ['open_key'], { unique: true });
      await createIndex(db, 'alerts', ['resolved_at', 'district_id']);

      await t({
        name: 'rule_sets',
        key: ['name'],
        columns: [
          col('name', 'text'),
          col('version', 'int'),
          nullable('based_on', 'text'),
          col('bundle', 'json'),
          col('created_at', 'time'),
        ],
      });
      await t({ name: 'settings', key: ['key'], columns: [col('key', 'text'), col('value', 'text')] });
    },
  };
}

/**
 * People's secondary indexes as this migration created them. Frozen: later migrations change
 * indexes in their own files, and bulk loads use the current list (store/registry/people-indexes.ts).
 */
const FOUNDATION_PEOPLE_INDEXES: { name: string; columns: string[]; unique?: boolean; only?: DialectName }[] =
  [
    { name: 'people_ref_idx', columns: ['district_id', 'ref'], unique: true },
    { name: 'people_household_idx', columns: ['household_id'] },
    { name: 'people_place_idx', columns: ['place_id'] },
    { name: 'people_street_idx', columns: ['street_id', 'id'] },
    { name: 'people_workplace_idx', columns: ['workplace_org_id'] },
    { name: 'people_id_hash_idx', columns: ['id_hash'] },
    // PostgreSQL keys people by (district_id, id): look-ups by id alone need their own index.
    { name: 'people_id_idx', columns: ['id'], only: 'postgres' },
    // SQLite keys people by rowid: scoped lists page by (district, id).
    { name: 'people_district_idx', columns: ['district_id', 'id'], only: 'sqlite' },
  ];

async function createFoundationPeopleIndexes(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  for (const index of FOUNDATION_PEOPLE_INDEXES) {
    if (index.only && index.only !== dialect) continue;
    await createIndex(db, 'people', index.columns, { name: index.name, unique: index.unique });
  }
}
