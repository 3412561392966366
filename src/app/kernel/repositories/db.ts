import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../../store/schema.ts';
import './kernel-tables.ts';

/** A query target: the database, or a transaction (a unit of work's, or a consumer's). */
export type Db = Kysely<Database> | Transaction<Database>;

/** Splits an id list so `in (…)` stays far below both databases' parameter limits. */
export function chunks<T>(items: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
