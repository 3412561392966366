import type { Kysely } from 'kysely';
import { createIndex } from './ddl.ts';

/**
 * Test orders that are open and overdue, by district and person: the overdue-orders alert asks
 * "does this street still have one?" on every fulfilment of a late order, and during a citywide
 * round a district holds tens of thousands of open orders but only the late ones matter. Without
 * it the question scanned every order of the district (the 90-day simulation stalled on it).
 */
export function overdueOrdersMigration() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await createIndex(db, 'test_orders', ['district_id', 'person_id'], {
        name: 'test_orders_overdue_open_idx',
        where: "status = 'open' and overdue_at is not null",
      });
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('test_orders_overdue_open_idx').execute();
    },
  };
}
