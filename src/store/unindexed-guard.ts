import { SqliteAdapter, sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from './schema.ts';

/**
 * `column = value` as a guard on rows an id list finds, which SQLite must not answer from an
 * index. Given `id in (…500 ids) and state = 'closed'`, SQLite's planner took the tubes' state
 * index — statistics sampled with `analysis_limit` put about a thousand rows behind each state —
 * and walked every closed tube for each box: at scale 1, 90 % of the server's time while a
 * citywide round was boxed. Test orders and control episodes closed by id within a district
 * walked the whole district's rows through the identity index the same way. On SQLite the
 * column gets a unary `+`, SQLite's documented way to keep a term from an index, so the guard
 * is checked on the rows the primary key finds. Elsewhere it is a plain comparison: PostgreSQL
 * weighs an id list by real row counts, and a Citus deployment prunes shards by
 * `district_id = value` (ADR 0003).
 */
export function unindexedEquals(
  db: Kysely<Database> | Transaction<Database>,
  column: string,
  value: string | number,
): RawBuilder<boolean> {
  return db.getExecutor().adapter instanceof SqliteAdapter
    ? sql<boolean>`+${sql.ref(column)} = ${value}`
    : sql<boolean>`${sql.ref(column)} = ${value}`;
}
