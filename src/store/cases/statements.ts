import { CompiledQuery, sql } from 'kysely';
import type { Db } from './db.ts';

/**
 * Statements of the transfer hot path written as SQL text with bound parameters, not built node by
 * node. Kysely's builder spent about a microsecond per row and value compiling the step's big
 * inserts and per-row updates (a few hundred rows of up to 21 values each), some 0.3 s of the peak
 * day's CPU with the garbage it left; the text here is the same on both databases but for the
 * parameter markers (`?` on SQLite, `$n` on PostgreSQL).
 */

/** What PostgreSQL reads a VALUES parameter as: ids are bigint there, SQLite takes any name. */
export type SqlType = 'bigint' | 'integer' | 'text';

/** The dialect's parameter marker, asked of Kysely's own compiler (a query of one parameter). */
export function markerOf(db: Db): (n: number) => string {
  return sql`${0}`.compile(db).sql === '?' ? () => '?' : (n) => `$${n}`;
}

/**
 * Sizes that cover `count` rows with few distinct statement texts: at most `max` per statement,
 * then powers of two, so SQLite's statement cache (keyed by text) keeps a handful per table
 * instead of one per batch size.
 */
export function statementSizes(count: number, max: number): number[] {
  const sizes: number[] = [];
  let left = count;
  while (left >= max) {
    sizes.push(max);
    left -= max;
  }
  for (let size = 1 << Math.floor(Math.log2(Math.max(1, left))); left > 0; size >>= 1) {
    if (size <= left) {
      sizes.push(size);
      left -= size;
    }
  }
  return sizes;
}

/**
 * `(?, ?, …), (?, ?, …)` for `rows` tuples of `width` markers numbered from `first`, each cast to
 * its SQL type where one is given (PostgreSQL reads an uncast parameter of a VALUES list as text).
 */
export function tuples(
  marker: (n: number) => string,
  rows: number,
  width: number,
  cast: readonly string[] = [],
  first = 1,
): string {
  const out: string[] = [];
  let n = first;
  for (let r = 0; r < rows; r++) {
    const values: string[] = [];
    for (let c = 0; c < width; c++) {
      const m = marker(n++);
      values.push(cast[c] ? `cast(${m} as ${cast[c]})` : m);
    }
    out.push(`(${values.join(', ')})`);
  }
  return out.join(', ');
}

/**
 * Inserts rows (every row has every column, in `columns` order) in statements of at most `max`
 * rows; with `returning`, the named columns of the inserted rows, in the order of `rows`.
 */
export async function insertRows<R extends Record<string, unknown>>(
  db: Db,
  table: string,
  columns: readonly (keyof R & string)[],
  rows: readonly R[],
  options: { max?: number; returning?: readonly string[] } = {},
): Promise<Record<string, unknown>[]> {
  const marker = markerOf(db);
  const returned: Record<string, unknown>[] = [];
  const head = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values `;
  const tail = options.returning ? ` returning ${options.returning.map((c) => `"${c}"`).join(', ')}` : '';
  let at = 0;
  for (const size of statementSizes(rows.length, options.max ?? 256)) {
    const parameters: unknown[] = [];
    for (let r = at; r < at + size; r++) for (const c of columns) parameters.push(rows[r][c] ?? null);
    const result = await db.executeQuery<Record<string, unknown>>(
      CompiledQuery.raw(head + tuples(marker, size, columns.length) + tail, parameters),
    );
    returned.push(...result.rows);
    at += size;
  }
  return returned;
}

/**
 * Gives each row (by id) its own values in one statement per chunk: `update … set col = v.columnN
 * from (values …) as v where id = v.column1` — both databases name a VALUES list's columns
 * column1, column2, … (SQLite has no column list on the alias). `values[i][0]` is the id; `set`
 * maps each other position to a column, with the SQL type PostgreSQL needs to read the parameter
 * as. `common` is the same for every row (bound once per statement).
 */
export async function updateByValues(
  db: Db,
  table: string,
  set: readonly { column: string; type: SqlType }[],
  values: readonly (readonly unknown[])[],
  common: Record<string, unknown> = {},
  max = 128,
): Promise<void> {
  const marker = markerOf(db);
  const commonColumns = Object.keys(common);
  const types: SqlType[] = ['bigint', ...set.map((s) => s.type)];
  let at = 0;
  for (const size of statementSizes(values.length, max)) {
    // In the order of their markers in the text (SQLite's `?` bind by position): common first.
    const parameters: unknown[] = commonColumns.map((c) => common[c] ?? null);
    for (let r = at; r < at + size; r++) parameters.push(...values[r]);
    const assignments = [
      ...commonColumns.map((c, i) => `"${c}" = ${marker(i + 1)}`),
      ...set.map((s, i) => `"${s.column}" = v.column${i + 2}`),
    ];
    const text =
      `update "${table}" set ${assignments.join(', ')} from (values ` +
      `${tuples(marker, size, types.length, types, commonColumns.length + 1)}) as v where "${table}".id = v.column1`;
    await db.executeQuery(CompiledQuery.raw(text, parameters));
    at += size;
  }
}
