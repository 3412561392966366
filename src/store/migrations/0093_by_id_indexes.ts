import type { Kysely } from 'kysely';
import type { DialectName } from '../database.ts';
import { createIndex } from './ddl.ts';

/**
 * More tables that the code finds by id alone (an API path names the row, a consumer holds ids
 * from an event) but that PostgreSQL keys by (district_id, id) (ADR 0003): without an index on
 * the id each such look-up reads the whole table — at scale 1 places hold ~1 M rows, households
 * ~10 M, and test orders and control episodes grow by hundreds of thousands a day at a peak.
 * SQLite keys these tables by the id already.
 */
export const FOUND_BY_ID = [
  'places',
  'households',
  'test_orders',
  'control_episodes',
  'zone_designations',
  'zone_changes',
  'zone_proposals',
  'status_exemptions',
  'tracing_investigations',
  'tracing_contacts',
] as const;

export function byIdIndexesMigration(dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (dialect !== 'postgres') return;
      for (const table of FOUND_BY_ID) await createIndex(db, table, ['id'], { name: `${table}_by_id_idx` });
    },
    async down(db: Kysely<unknown>): Promise<void> {
      if (dialect !== 'postgres') return;
      for (const table of FOUND_BY_ID) await db.schema.dropIndex(`${table}_by_id_idx`).execute();
    },
  };
}
