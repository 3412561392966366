import type { Kysely } from 'kysely';
import { createIndex } from './ddl.ts';

/**
 * Indexes for the reads the monitoring clock and rules repeat all day (measured on a simulated
 * April, docs/SIMULATION.md), which had walked every row of an outbreak to find a few:
 *
 * - A rule reconciles its own open alerts (`openAlertsOf`) at every event it hears and every
 *   tick. With only (resolved_at, district_id) to go on, each read walked every open alert of
 *   every rule — tens of thousands of missed quarantine tests — to keep the few of one rule
 *   (8 % of the server's time). Led by the rule, it reads those few.
 * - The overdue sweep (`dueForOverdue`) looks for open orders past due not yet reported. Through
 *   (status, due_at) it walked every open order already reported overdue, at every tick. The
 *   partial index holds only the orders the sweep still has to look at.
 */
export function monitoringIndexesMigration() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await createIndex(db, 'alerts', ['rule', 'resolved_at']);
      await createIndex(db, 'test_orders', ['due_at'], {
        name: 'test_orders_awaiting_overdue_idx',
        where: `status = 'open' and overdue_at is null`,
      });
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('test_orders_awaiting_overdue_idx').execute();
      await db.schema.dropIndex('alerts_rule_resolved_at_idx').execute();
    },
  };
}
