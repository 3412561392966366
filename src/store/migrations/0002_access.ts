import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../database.ts';

/**
 * Access and audit (issue 2, item 6):
 * - audit_log.details: what a request asked for when it has no subject ids of its own (an
 *   export's filter, a purge's cutoff and count), as JSON;
 * - the audit head's genesis row, so every writer finds a row to lock and the head can never
 *   be silently re-created by a writer;
 * (people's (district_id, id) index for SQLite lives with the other people indexes in 0001.)
 */

export const AUDIT_GENESIS_HASH = '0'.repeat(64);

export function accessMigration(dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await sql`alter table audit_log add column details text`.execute(db);
      await sql`insert into audit_head (id, seq, hash, updated_at) values (1, 0, ${AUDIT_GENESIS_HASH}, 0)`.execute(
        db,
      );
      void dialect;
    },
  };
}
