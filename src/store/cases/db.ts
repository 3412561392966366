import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../schema.ts';
import './tables.ts';

/** A query target: the database or a transaction (a unit of work's, or a consumer's). */
export type Db = Kysely<Database> | Transaction<Database>;

/** Splits an id list so `in (…)` stays far below both databases' parameter limits. */
export function chunked<T>(items: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Id lists for `in (…)`, split like `chunked` and each padded to a power-of-two length (8 to 512)
 * by repeating its last id. The SQL text of a query depends on the list's length, and SQLite
 * parses and plans every new text afresh (the store caches statements by text): with padding a
 * handful of shapes serve every batch size. A repeated id changes nothing in an `in` list.
 */
export function idChunks(ids: readonly number[], size = 512): number[][] {
  return chunked([...new Set(ids)], size).map((chunk) => {
    let length = 8;
    while (length < chunk.length) length *= 2;
    const padded = chunk.slice();
    while (padded.length < length) padded.push(chunk[chunk.length - 1]);
    return padded;
  });
}

/**
 * `case id when ? then ? … end`: a per-row integer for a set-based update over `ids` (a padded
 * chunk from `idChunks`). Bound, not inlined, so the statement text repeats; the cast tells
 * PostgreSQL the type of the bound value.
 */
export function integerById(ids: readonly number[], valueOf: (id: number) => number): RawBuilder<number> {
  const arms = ids.map((id) => sql`when ${id} then cast(${valueOf(id)} as integer)`);
  return sql<number>`case id ${sql.join(arms, sql` `)} end`;
}

/** A unique-index violation on either database (SQLite's constraint code or PostgreSQL's 23505). */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string } | null;
  return (
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    e?.code === '23505'
  );
}
