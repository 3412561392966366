import { SqliteAdapter, sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from './schema.ts';

/**
 * `column = value` as a guard on rows an id list finds, which the planner must not answer from
 * an index. Given `id in (…500 ids) and state = 'closed'`, SQLite's planner took the tubes' state
 * index — statistics sampled with `analysis_limit` put about a thousand rows behind each state —
 * and walked every closed tube for each box: at scale 1, 90 % of the server's time while a
 * citywide round was boxed. Test orders and control episodes closed by id within a district
 * walked the whole district's rows through the identity index the same way. PostgreSQL did the
 * same with statistics taken before the state existed: analysed while every tube was open or
 * closed, `state = 'received'` looked rare, and stamping one positive tube's result walked every
 * received tube (7 ms a statement on the scale-0.1 benchmark instead of 0.1 ms).
 * SQLite: the column gets a unary `+`, SQLite's documented way to keep a term from an index.
 * PostgreSQL: `(column = value) is true`, which no index answers; the district stays a plain
 * comparison there, since it leads the row key (district_id, id) and a Citus deployment prunes
 * shards by it (ADR 0003).
 */
export function unindexedEquals(
  db: Kysely<Database> | Transaction<Database>,
  column: string,
  value: string | number,
): RawBuilder<boolean> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    return sql<boolean>`+${sql.ref(column)} = ${value}`;
  }
  return column === 'district_id'
    ? sql<boolean>`${sql.ref(column)} = ${value}`
    : sql<boolean>`(${sql.ref(column)} = ${value}) is true`;
}
