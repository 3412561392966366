import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../database.ts';
import { createIndex } from './ddl.ts';

/**
 * People's id hash as its 32 bytes instead of 64 hex characters, and the workplace index only
 * over people who have a workplace (ADR 0009). Both shrink what a seed writes and sorts: the
 * id-hash index was the largest of people's indexes, and about half of its key was hex overhead.
 *
 * SQLite cannot change a column's declared type in place; `id_hash` keeps its declared `text`,
 * which stores a blob as it is (no conversion), so only the values change. A value that is not
 * 64 lower-case hex digits (no code ever wrote one) becomes null on both databases: it could
 * never have matched a hashed national id.
 */
export function peopleIdHashBytesMigration(dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('people_id_hash_idx').execute();
      if (dialect === 'sqlite') {
        await sql`update people set id_hash = case when length(id_hash) = 64 then unhex(id_hash) end
          where id_hash is not null`.execute(db);
      } else {
        await sql`alter table people alter column id_hash type bytea
          using case when id_hash ~ '^[0-9a-f]{64}$' then decode(id_hash, 'hex') end`.execute(db);
      }
      await createIndex(db, 'people', ['id_hash'], { name: 'people_id_hash_idx' });
      await db.schema.dropIndex('people_workplace_idx').execute();
      await createIndex(db, 'people', ['workplace_org_id'], {
        name: 'people_workplace_idx',
        where: 'workplace_org_id is not null',
      });
    },
  };
}
