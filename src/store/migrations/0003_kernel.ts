import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../database.ts';
import { col, createIndex, createTable } from './ddl.ts';

/**
 * Shared kernel, second step (issue 2, item 3):
 * - test_orders: `not_before_at` (the earliest sample that can answer the order: a quarantine
 *   day's order opens at that day's start), `overdue_at` (when the clock found it late, so
 *   `test_order.overdue` is published once), `fulfilled_by`, `cancelled_reason`;
 * - unique identities that make opening idempotent even under concurrent writers: one control
 *   episode per (person, kind, source), one test order per (person, reason, source, due). The
 *   district leads each key so Citus can keep them (unique indexes must hold the distribution
 *   column);
 * - a partial index for the clock's overdue sweep;
 * - alert_regions: one row per region an alert concerns (its regions and their ancestors), so a
 *   region-scoped list is a plain indexed join on both databases instead of JSON matching.
 */
export function kernelMigration(dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const timeType = dialect === 'sqlite' ? 'integer' : 'bigint';
      await sql.raw(`alter table test_orders add column not_before_at ${timeType}`).execute(db);
      await sql.raw(`alter table test_orders add column overdue_at ${timeType}`).execute(db);
      await sql.raw('alter table test_orders add column fulfilled_by text').execute(db);
      await sql.raw('alter table test_orders add column cancelled_reason text').execute(db);

      await createIndex(
        db,
        'control_episodes',
        ['district_id', 'person_id', 'kind', 'source_type', 'source_id'],
        {
          name: 'control_episodes_identity_idx',
          unique: true,
        },
      );
      await createIndex(
        db,
        'test_orders',
        ['district_id', 'person_id', 'reason', 'source_type', 'source_id', 'due_at'],
        {
          name: 'test_orders_identity_idx',
          unique: true,
        },
      );
      await createIndex(db, 'test_orders', ['due_at'], {
        name: 'test_orders_overdue_sweep_idx',
        where: "status = 'open' and overdue_at is null",
      });
      await createIndex(db, 'test_orders', ['source_type', 'source_id'], { name: 'test_orders_source_idx' });
      await createIndex(db, 'alerts', ['rule', 'subject_type', 'subject_id'], { name: 'alerts_subject_idx' });

      await createTable(db, dialect, {
        name: 'alert_regions',
        key: ['region_id', 'alert_id'],
        columns: [col('region_id', 'id'), col('alert_id', 'id')],
      });
      await createIndex(db, 'alert_regions', ['alert_id']);
    },
  };
}
