import type { Kysely, Transaction } from 'kysely';
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

/** A unique-index violation on either database (SQLite's constraint code or PostgreSQL's 23505). */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string } | null;
  return (
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    e?.code === '23505'
  );
}
