import type { Kysely } from 'kysely';
import type { DialectName } from '../database.ts';
import { col, createIndex, createTable, nullable } from './ddl.ts';

/**
 * Screening rounds and the sample chain (issue 3). Scans take a citywide round's writes
 * (25.7 M rows in hours), so they carry only the indexes the rules need:
 * - (district_id, client_id) unique: a device's retry is a no-op;
 * - (district_id, person_id, round_id, slot) unique: one screening sample per person per round
 *   (slot 0), one per retest order (slot = order id); also serves "my results";
 * - (tube_id): a tube's members, when its result needs them.
 * Unique keys hold district_id so Citus can enforce them per shard (ADR 0003).
 */
export function screeningMigration(dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const t = (spec: Parameters<typeof createTable>[2]) => createTable(db, dialect, spec);

      await t({
        name: 'screening_rounds',
        key: ['id'],
        columns: [
          col('id', 'serial'),
          col('name', 'text'),
          col('kind', 'text'),
          col('starts_at', 'time'),
          col('ends_at', 'time'),
          nullable('closed_at', 'time'),
          col('first_round', 'int', { default: '0' }),
          col('pooling', 'json'),
          col('created_at', 'time'),
          nullable('created_by', 'id'),
        ],
      });
      await t({
        name: 'screening_round_scope',
        key: ['round_id', 'target_kind', 'target_id'],
        columns: [col('round_id', 'id'), col('target_kind', 'text'), col('target_id', 'id')],
      });

      await t({
        name: 'tubes',
        key: ['id'],
        distributedBy: 'district_id',
        columns: [
          col('id', 'serial'),
          col('district_id', 'id'),
          col('street_id', 'id'),
          col('round_id', 'id'),
          col('barcode', 'text'),
          col('site_id', 'id'),
          col('purpose', 'text'),
          col('capacity', 'int'),
          col('filled', 'int', { default: '0' }),
          col('state', 'text'),
          nullable('household_id', 'id'),
          nullable('opened_by', 'id'),
          nullable('collected_at', 'time'),
          nullable('closed_at', 'time'),
          nullable('box_id', 'id'),
          nullable('boxed_at', 'time'),
          nullable('dispatched_at', 'time'),
          nullable('lab_id', 'id'),
          nullable('received_at', 'time'),
          nullable('result', 'text'),
          nullable('ct_orf1ab', 'real'),
          nullable('ct_n', 'real'),
          nullable('resulted_at', 'time'),
          nullable('notified_at', 'time'),
        ],
      });
      // Barcode first: labs and devices find a tube by its barcode alone; the district keeps it Citus-legal.
      await createIndex(db, 'tubes', ['barcode', 'district_id'], { name: 'tubes_barcode_idx', unique: true });
      await createIndex(db, 'tubes', ['round_id', 'district_id', 'street_id'], { name: 'tubes_round_idx' });
      await createIndex(db, 'tubes', ['box_id'], { name: 'tubes_box_idx' });
      await createIndex(db, 'tubes', ['state', 'district_id'], { name: 'tubes_state_idx' });

      await t({
        name: 'scans',
        key: ['id'],
        distributedBy: 'district_id',
        columns: [
          col('id', 'serial'),
          col('district_id', 'id'),
          col('client_id', 'text'),
          col('round_id', 'id'),
          col('person_id', 'id'),
          col('tube_id', 'id'),
          col('tube_district_id', 'id'),
          col('site_id', 'id'),
          nullable('sampler_id', 'id'),
          col('slot', 'id', { default: '0' }),
          col('collected_at', 'time'),
          col('received_at', 'time'),
        ],
      });
      await createIndex(db, 'scans', ['district_id', 'client_id'], {
        name: 'scans_client_idx',
        unique: true,
      });
      await createIndex(db, 'scans', ['district_id', 'person_id', 'round_id', 'slot'], {
        name: 'scans_person_idx',
        unique: true,
      });
      await createIndex(db, 'scans', ['tube_id'], { name: 'scans_tube_idx' });

      await t({
        name: 'transport_boxes',
        key: ['id'],
        columns: [
          col('id', 'serial'),
          col('district_id', 'id'),
          col('barcode', 'text'),
          nullable('site_id', 'id'),
          nullable('lab_id', 'id'),
          col('state', 'text'),
          col('tubes', 'int', { default: '0' }),
          col('created_at', 'time'),
          nullable('sealed_at', 'time'),
          nullable('dispatched_at', 'time'),
          nullable('courier_org_id', 'id'),
          nullable('courier_name', 'text'),
          nullable('received_at', 'time'),
        ],
      });
      await createIndex(db, 'transport_boxes', ['barcode'], {
        name: 'transport_boxes_barcode_idx',
        unique: true,
      });
      await createIndex(db, 'transport_boxes', ['lab_id', 'state'], { name: 'transport_boxes_lab_idx' });

      await t({
        name: 'box_custody',
        key: ['id'],
        columns: [
          col('id', 'serial'),
          col('box_id', 'id'),
          col('action', 'text'),
          col('at', 'time'),
          nullable('user_id', 'id'),
          nullable('organisation_id', 'id'),
          nullable('location', 'text'),
          nullable('lng', 'real'),
          nullable('lat', 'real'),
          nullable('note', 'text'),
        ],
      });
      await createIndex(db, 'box_custody', ['box_id'], { name: 'box_custody_box_idx' });
    },
  };
}
