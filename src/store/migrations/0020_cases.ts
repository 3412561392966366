import type { Kysely } from 'kysely';
import type { DialectName } from '../database.ts';
import { col, createIndex, createTable, nullable } from './ddl.ts';

/**
 * Cases, transfer and admission (转→收). Hot tables lead with district_id on PostgreSQL (ADR
 * 0003): cases, transitions, orders, admissions and stay tests by the person's district; bed
 * assignments by the facility's. The database enforces what must never happen twice:
 * - one case per source (`cases_source_idx`), so a redelivered result creates no second case;
 * - one order per person and source (`transfer_orders_source_idx`);
 * - one live occupant per numbered bed and one live bed per order (partial unique indexes);
 * - the last free bed goes to one order only: the conditional counter update in store/cases/beds.ts.
 */
export function casesMigration(dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const t = (spec: Parameters<typeof createTable>[2]) => createTable(db, dialect, spec);
      await t({
        name: 'cases',
        key: ['id'],
        distributedBy: 'district_id',
        columns: [
          col('id', 'serial'),
          col('district_id', 'id'),
          col('street_id', 'id'),
          nullable('committee_id', 'id'),
          col('person_id', 'id'),
          nullable('place_id', 'id'),
          nullable('household_id', 'id'),
          col('source', 'text'),
          col('source_key', 'text'),
          col('source_ref', 'text'),
          nullable('round_id', 'text'),
          nullable('ct', 'real'),
          col('sampled_at', 'time'),
          col('reported_at', 'time'),
          col('sampled_day', 'text'),
          col('reported_day', 'text'),
          col('classification', 'text'),
          col('control_kinds', 'text', { default: "''" }),
          col('rule_set', 'text'),
          col('severity', 'text'),
          col('high_risk', 'int', { default: '0' }),
          col('risk_factors', 'text', { default: "''" }),
          col('state', 'text'),
          col('state_at', 'time'),
          nullable('facility_id', 'id'),
          col('created_at', 'time'),
          nullable('created_by', 'id'),
        ],
      });
      await createIndex(db, 'cases', ['district_id', 'source_key'], {
        name: 'cases_source_idx',
        unique: true,
      });
      await createIndex(db, 'cases', ['person_id', 'state']);
      await createIndex(db, 'cases', ['district_id', 'sampled_day', 'classification']);
      await createIndex(db, 'cases', ['district_id', 'reported_day']);
      await createIndex(db, 'cases', ['street_id', 'reported_day']);
      await createIndex(db, 'cases', ['state', 'district_id']);

      await t({
        name: 'state_transitions',
        key: ['id'],
        distributedBy: 'district_id',
        columns: [
          col('id', 'serial'),
          col('district_id', 'id'),
          col('subject_type', 'text'),
          col('subject_id', 'id'),
          nullable('from_state', 'text'),
          col('to_state', 'text'),
          col('at', 'time'),
          nullable('actor_user_id', 'id'),
          col('actor', 'text'),
          nullable('reason', 'text'),
        ],
      });
      await createIndex(db, 'state_transitions', ['subject_type', 'subject_id']);

      await t({
        name: 'transfer_orders',
        key: ['id'],
        distributedBy: 'district_id',
        columns: [
          col('id', 'serial'),
          col('district_id', 'id'),
          col('street_id', 'id'),
          nullable('committee_id', 'id'),
          col('person_id', 'id'),
          nullable('case_id', 'id'),
          col('kind', 'text'),
          col('need', 'text'),
          col('need_reason', 'text', { default: "''" }),
          col('source_type', 'text'),
          col('source_id', 'text'),
          col('status', 'text'),
          col('found_at', 'time'),
          nullable('pickup_lng', 'real'),
          nullable('pickup_lat', 'real'),
          nullable('facility_id', 'id'),
          nullable('facility_district_id', 'id'),
          nullable('bed_kind', 'text'),
          nullable('bed_no', 'int'),
          nullable('proposed_facility_id', 'id'),
          nullable('override_reason', 'text'),
          nullable('allocated_at', 'time'),
          nullable('allocated_by', 'id'),
          nullable('unplaced_at', 'time'),
          nullable('transport_org_id', 'id'),
          nullable('vehicle', 'text'),
          nullable('dispatched_at', 'time'),
          nullable('picked_up_at', 'time'),
          nullable('arrived_at', 'time'),
          nullable('admitted_at', 'time'),
          nullable('admission_id', 'id'),
          nullable('cancelled_at', 'time'),
          nullable('cancel_reason', 'text'),
          col('created_at', 'time'),
          nullable('created_by', 'id'),
        ],
      });
      await createIndex(db, 'transfer_orders', ['district_id', 'source_type', 'source_id', 'person_id'], {
        name: 'transfer_orders_source_idx',
        unique: true,
      });
      await createIndex(db, 'transfer_orders', ['status', 'district_id']);
      await createIndex(db, 'transfer_orders', ['facility_id', 'status']);
      await createIndex(db, 'transfer_orders', ['transport_org_id', 'status']);
      await createIndex(db, 'transfer_orders', ['district_id', 'found_at']);
      await createIndex(db, 'transfer_orders', ['found_at']);
      await createIndex(db, 'transfer_orders', ['person_id']);
      await createIndex(db, 'transfer_orders', ['case_id']);

      await t({
        name: 'bed_occupancy',
        key: ['facility_id', 'bed_kind'],
        columns: [
          col('facility_id', 'id'),
          col('bed_kind', 'text'),
          col('district_id', 'id'),
          col('reserved', 'int', { default: '0' }),
          col('occupied', 'int', { default: '0' }),
          col('cursor', 'int', { default: '1' }),
        ],
      });

      await t({
        name: 'bed_assignments',
        key: ['id'],
        distributedBy: 'district_id',
        columns: [
          col('id', 'serial'),
          col('district_id', 'id'),
          col('facility_id', 'id'),
          col('bed_kind', 'text'),
          col('bed_no', 'int'),
          col('order_id', 'id'),
          col('person_id', 'id'),
          col('status', 'text'),
          col('since', 'time'),
          nullable('released_at', 'time'),
        ],
      });
      await createIndex(db, 'bed_assignments', ['district_id', 'facility_id', 'bed_kind', 'bed_no'], {
        name: 'bed_assignments_live_bed_idx',
        unique: true,
        where: 'released_at is null',
      });
      await createIndex(db, 'bed_assignments', ['district_id', 'order_id'], {
        name: 'bed_assignments_live_order_idx',
        unique: true,
        where: 'released_at is null',
      });
      // Looking up an order's bed does not know the facility's district.
      await createIndex(db, 'bed_assignments', ['order_id'], {
        name: 'bed_assignments_order_idx',
        where: 'released_at is null',
      });

      await t({
        name: 'admissions',
        key: ['id'],
        distributedBy: 'district_id',
        columns: [
          col('id', 'serial'),
          col('district_id', 'id'),
          col('person_id', 'id'),
          nullable('case_id', 'id'),
          col('order_id', 'id'),
          col('kind', 'text'),
          col('need', 'text'),
          col('facility_id', 'id'),
          col('facility_district_id', 'id'),
          col('bed_kind', 'text'),
          col('bed_no', 'int'),
          col('admitted_at', 'time'),
          col('admitted_day', 'text'),
          nullable('admitted_by', 'id'),
          nullable('episode_id', 'id'),
          nullable('ended_at', 'time'),
          nullable('ended_day', 'text'),
          nullable('outcome', 'text'),
          nullable('end_reason', 'text'),
          nullable('override_reason', 'text'),
          nullable('ended_by', 'id'),
        ],
      });
      await createIndex(db, 'admissions', ['district_id', 'order_id'], {
        name: 'admissions_order_idx',
        unique: true,
      });
      await createIndex(db, 'admissions', ['facility_id', 'ended_at']);
      await createIndex(db, 'admissions', ['facility_district_id', 'admitted_day']);
      await createIndex(db, 'admissions', ['facility_district_id', 'ended_day']);
      await createIndex(db, 'admissions', ['person_id']);

      await t({
        name: 'stay_tests',
        key: ['id'],
        distributedBy: 'district_id',
        columns: [
          col('id', 'serial'),
          col('district_id', 'id'),
          col('admission_id', 'id'),
          col('sampled_at', 'time'),
          col('result', 'text'),
          nullable('ct', 'real'),
          col('recorded_at', 'time'),
          nullable('recorded_by', 'id'),
        ],
      });
      await createIndex(db, 'stay_tests', ['admission_id', 'sampled_at']);

      // On PostgreSQL the key leads with the district (ADR 0003), so a look-up by id alone (an API
      // path names a case, an order, a stay by id) needs its own index; SQLite's key is the id.
      if (dialect === 'postgres') {
        for (const table of ['cases', 'transfer_orders', 'admissions', 'bed_assignments']) {
          await createIndex(db, table, ['id'], { name: `${table}_by_id_idx` });
        }
      }
    },
  };
}
