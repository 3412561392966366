import type { Kysely } from 'kysely';
import { createIndex } from './ddl.ts';

/**
 * Migration 0090 added `test_orders_awaiting_overdue_idx`, the same partial index on `due_at`
 * (open orders not yet reported overdue) that 0003 had created as `test_orders_overdue_sweep_idx`:
 * the sweep had missed the first one only because SQLite does not match a bound parameter
 * against a partial index's condition, which 0090's change to the query (a literal status) fixed
 * for both. Every write of a test order — hundreds of thousands a day at the peak — kept both up
 * to date.
 */
export function dropDuplicateOverdueIndexMigration() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('test_orders_awaiting_overdue_idx').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await createIndex(db, 'test_orders', ['due_at'], {
        name: 'test_orders_awaiting_overdue_idx',
        where: `status = 'open' and overdue_at is null`,
      });
    },
  };
}
