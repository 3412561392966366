import type { Kysely } from 'kysely';
import type { DialectName } from '../database.ts';
import { createIndex } from './ddl.ts';

/**
 * On PostgreSQL tubes are keyed by (district_id, id) (ADR 0003), so the updates that name tubes
 * by id alone — boxing, results, "members notified", closing by hand — found no index to use:
 * each 100-id update scanned the table, 64–100 ms per statement on the scale-0.1 benchmark's
 * 266,044 tubes, and a citywide round has 2.4 M. SQLite's key is the id. The cases tables got the
 * same index in 0020.
 */
export function tubesByIdMigration(dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (dialect === 'postgres') await createIndex(db, 'tubes', ['id'], { name: 'tubes_by_id_idx' });
    },
    async down(db: Kysely<unknown>): Promise<void> {
      if (dialect === 'postgres') await db.schema.dropIndex('tubes_by_id_idx').execute();
    },
  };
}
