import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../database.ts';
import { createIndex } from './ddl.ts';

/**
 * Access and audit (issue 2, item 6):
 * - audit_log.details: what a request asked for when it has no subject ids of its own (an
 *   export's filter, a purge's cutoff and count), as JSON;
 * - the audit head's genesis row, so every writer finds a row to lock and the head can never
 *   be silently re-created by a writer;
 * - on SQLite, people (district_id, id): scoped lists page by (district, id), which PostgreSQL's
 *   primary key already serves; SQLite's rowid key alone would scan every earlier district.
 */
export const ACCESS_PEOPLE_INDEXES_SQLITE: { name: string; columns: string[] }[] = [
  { name: 'people_district_idx', columns: ['district_id', 'id'] },
];

export const AUDIT_GENESIS_HASH = '0'.repeat(64);

export function accessMigration(dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await sql`alter table audit_log add column details text`.execute(db);
      await sql`insert into audit_head (id, seq, hash, updated_at) values (1, 0, ${AUDIT_GENESIS_HASH}, 0)`.execute(
        db,
      );
      if (dialect === 'sqlite') {
        for (const index of ACCESS_PEOPLE_INDEXES_SQLITE) {
          await createIndex(db, 'people', index.columns, { name: index.name });
        }
      }
    },
  };
}
