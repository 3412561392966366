import type { Kysely } from 'kysely';
import type { DialectName } from '../database.ts';
import { createIndex } from '../migrations/ddl.ts';

export interface PeopleIndex {
  name: string;
  columns: string[];
  unique?: boolean;
  only?: DialectName;
  /** A partial index: only rows matching this predicate are indexed. */
  where?: string;
}

/**
 * People's secondary indexes as the schema has them now (0001 created them, 0080 narrowed the
 * workplace index). Bulk loads (seed, import) drop and recreate them around the load, so they
 * are declared once here; a migration that changes one must change this list with it.
 */
export const PEOPLE_INDEXES: PeopleIndex[] = [
  { name: 'people_ref_idx', columns: ['district_id', 'ref'], unique: true },
  { name: 'people_household_idx', columns: ['household_id'] },
  { name: 'people_place_idx', columns: ['place_id'] },
  { name: 'people_street_idx', columns: ['street_id', 'id'] },
  // Every reader asks for one organisation's staff (`workplace_org_id = ?`, which both planners
  // know implies not null); the ~47 % of people without a workplace need no entries.
  {
    name: 'people_workplace_idx',
    columns: ['workplace_org_id'],
    where: 'workplace_org_id is not null',
  },
  { name: 'people_id_hash_idx', columns: ['id_hash'] },
  // PostgreSQL keys people by (district_id, id): look-ups by id alone need their own index.
  { name: 'people_id_idx', columns: ['id'], only: 'postgres' },
  // SQLite keys people by rowid: scoped lists page by (district, id).
  { name: 'people_district_idx', columns: ['district_id', 'id'], only: 'sqlite' },
];

export async function createPeopleIndexes(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  for (const index of PEOPLE_INDEXES) {
    if (index.only && index.only !== dialect) continue;
    await createIndex(db, 'people', index.columns, {
      name: index.name,
      unique: index.unique,
      where: index.where,
    });
  }
}
