import type { Kysely } from 'kysely';
import type { DialectName } from '../database.ts';
import { col, createIndex, createTable, nullable } from './ddl.ts';

/**
 * Zones (三区), screening compliance (应检未检) and status (issue 5). Designations, proposals,
 * positives, exemptions, arrivals and status history are per person or place and lead with the
 * district on PostgreSQL (ADR 0003); duties are few and stay a plain table. Duty tests and the
 * zones' day-N tests are kernel test orders, so no table here duplicates them.
 */
export function zonesStatusMigration(dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const t = (spec: Parameters<typeof createTable>[2]) => createTable(db, dialect, spec);

      await t({
        name: 'zone_designations',
        key: ['id'],
        distributedBy: 'district_id',
        columns: [
          col('id', 'serial'),
          col('district_id', 'id'),
          col('street_id', 'id'),
          nullable('committee_id', 'id'),
          col('place_id', 'id'),
          col('place_kind', 'text'),
          nullable('parent_place_id', 'id'),
          col('level', 'text'),
          col('phase', 'text'),
          col('period_start_day', 'text'),
          col('since_at', 'time'),
          col('level_since_at', 'time'),
          nullable('last_positive_day', 'text'),
          col('cause_case_ids', 'json', { default: "'[]'" }),
          nullable('hold_compound_designation_id', 'id'),
          nullable('hold_until_day', 'text'),
          col('rule_set', 'text'),
          col('created_at', 'time'),
          col('updated_at', 'time'),
        ],
      });
      await createIndex(db, 'zone_designations', ['district_id', 'place_id'], {
        name: 'zone_designations_place_idx',
        unique: true,
      });
      await createIndex(db, 'zone_designations', ['place_id']);
      await createIndex(db, 'zone_designations', ['district_id', 'level']);
      await createIndex(db, 'zone_designations', ['hold_compound_designation_id']);

      await t({
        name: 'zone_changes',
        key: ['id'],
        distributedBy: 'district_id',
        columns: [
          col('id', 'serial'),
          col('district_id', 'id'),
          col('designation_id', 'id'),
          col('place_id', 'id'),
          col('at', 'time'),
          col('day', 'text'),
          col('change', 'text'),
          nullable('from_level', 'text'),
          nullable('from_phase', 'text'),
          col('to_level', 'text'),
          col('to_phase', 'text'),
          col('period_start_day', 'text'),
          col('reason_code', 'text'),
          col('reason', 'text'),
          col('details', 'json', { default: "'{}'" }),
          nullable('proposal_id', 'id'),
          nullable('user_id', 'id'),
          nullable('username', 'text'),
        ],
      });
      await createIndex(db, 'zone_changes', ['designation_id', 'at']);
      await createIndex(db, 'zone_changes', ['district_id', 'at']);

      await t({
        name: 'zone_proposals',
        key: ['id'],
        distributedBy: 'district_id',
        columns: [
          col('id', 'serial'),
          col('district_id', 'id'),
          col('designation_id', 'id'),
          col('place_id', 'id'),
          col('from_level', 'text'),
          col('from_phase', 'text'),
          nullable('to_level', 'text'),
          nullable('to_phase', 'text'),
          col('restart_period', 'int'),
          col('due_day', 'text'),
          col('reason', 'text'),
          col('details', 'json', { default: "'{}'" }),
          col('status', 'text'),
          col('proposed_at', 'time'),
          nullable('decided_at', 'time'),
          nullable('decided_by', 'id'),
          nullable('decided_by_name', 'text'),
          nullable('decision_reason', 'text'),
          col('rule_set', 'text'),
        ],
      });
      await createIndex(db, 'zone_proposals', ['district_id', 'status']);
      await createIndex(db, 'zone_proposals', ['designation_id', 'status']);

      await t({
        name: 'zone_positives',
        key: ['case_id'],
        distributedBy: 'district_id',
        columns: [
          col('district_id', 'id'),
          col('case_id', 'text'),
          col('person_id', 'id'),
          col('building_id', 'id'),
          nullable('compound_id', 'id'),
          col('unit_place_id', 'id'),
          col('sampled_at', 'time'),
          col('sampled_day', 'text'),
          col('recorded_at', 'time'),
        ],
      });
      await createIndex(db, 'zone_positives', ['sampled_day']);
      // The conflict target of "record once" on both databases (SQLite's key is the case id alone).
      await createIndex(db, 'zone_positives', ['district_id', 'case_id'], {
        name: 'zone_positives_case_idx',
        unique: true,
      });
      await createIndex(db, 'zone_positives', ['building_id', 'sampled_day']);
      await createIndex(db, 'zone_positives', ['compound_id', 'sampled_day']);

      await t({
        name: 'screening_duties',
        key: ['id'],
        columns: [
          col('id', 'serial'),
          col('kind', 'text'),
          col('region_id', 'id'),
          nullable('occupation', 'text'),
          col('rhythm', 'json'),
          col('starts_at', 'time'),
          nullable('ends_at', 'time'),
          col('reason', 'text'),
          nullable('created_by', 'id'),
          col('created_at', 'time'),
        ],
      });

      await t({
        name: 'status_exemptions',
        key: ['id'],
        distributedBy: 'district_id',
        columns: [
          col('id', 'serial'),
          col('district_id', 'id'),
          col('person_id', 'id'),
          col('reason_code', 'text'),
          col('kind', 'text'),
          col('note', 'text'),
          col('from_at', 'time'),
          col('until_at', 'time'),
          nullable('created_by', 'id'),
          nullable('created_by_name', 'text'),
          col('created_at', 'time'),
          nullable('revoked_at', 'time'),
        ],
      });
      await createIndex(db, 'status_exemptions', ['person_id', 'until_at']);

      await t({
        name: 'status_arrivals',
        key: ['id'],
        distributedBy: 'district_id',
        columns: [
          col('id', 'serial'),
          col('district_id', 'id'),
          col('person_id', 'id'),
          col('arrived_at', 'time'),
          col('from_level', 'text'),
          col('origin', 'text'),
          nullable('recorded_by', 'id'),
          col('created_at', 'time'),
        ],
      });
      await createIndex(db, 'status_arrivals', ['person_id', 'arrived_at']);

      await t({
        name: 'status_history',
        key: ['id'],
        distributedBy: 'district_id',
        columns: [
          col('id', 'serial'),
          col('district_id', 'id'),
          col('person_id', 'id'),
          col('since_at', 'time'),
          col('colour', 'text'),
          col('reasons', 'text'),
          col('recorded_at', 'time'),
        ],
      });
      await createIndex(db, 'status_history', ['person_id', 'id']);
    },
  };
}
