import type { Kysely } from 'kysely';
import type { DialectName } from '../database.ts';
import { col, createTable } from './ddl.ts';

/**
 * Command (issue 7): the daily bulletins as issued (one JSON document per calendar day, frozen
 * once issued so the public figures never change under a reader), and the hourly tallies of
 * scans per sampling site that the site-capacity rule reads instead of the scans table, with the
 * watermark of the scans already counted. All three are small: no district key.
 */
export function commandMigration(dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const t = (spec: Parameters<typeof createTable>[2]) => createTable(db, dialect, spec);
      await t({
        name: 'bulletins',
        key: ['day'],
        columns: [
          col('day', 'text'),
          col('issued_at', 'time'),
          col('rule_set', 'text'),
          col('document', 'json'),
        ],
      });
      await t({
        name: 'command_site_hours',
        key: ['site_id', 'hour'],
        columns: [col('site_id', 'id'), col('hour', 'int'), col('district_id', 'id'), col('scans', 'int')],
      });
      await t({
        name: 'command_watermarks',
        key: ['name'],
        columns: [col('name', 'text'), col('value', 'int')],
      });
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of ['command_watermarks', 'command_site_hours', 'bulletins']) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
