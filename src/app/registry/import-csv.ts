import type { AuditActor } from '../access/audit.ts';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { z } from 'zod';
import { DomainError, type ErrorDetail } from '../../domain/errors.ts';

/** A CSV file's contents: text, bytes, or a stream (a file, an HTTP upload). */
export type CsvInput = string | Buffer | NodeJS.ReadableStream;

export interface ImportProgress {
  phase: 'reading' | 'checking' | 'writing' | 'done';
  rows: number;
}

export interface ImportOptions {
  onProgress?: (progress: ImportProgress) => void;
  /** Who imports, for the audit log of personal data written; the CLI's operator by default. */
  actor?: AuditActor;
}

export interface ImportSummary {
  rows: number;
  created: Record<string, number>;
}

export interface ParsedRow<T> {
  /** The row's line in the file (the header is line 1). */
  line: number;
  value: T;
}

/** The first errors in full and the count of all (a broken file can have millions). */
export class ImportErrors {
  readonly details: ErrorDetail[] = [];
  count = 0;

  add(line: number, field: string | undefined, message: string): void {
    this.count++;
    if (this.details.length < 1000) this.details.push({ line, ...(field ? { field } : {}), message });
  }

  /** All or nothing: any error rejects the whole file before anything is written. */
  throwIfAny(): void {
    if (this.count === 0) return;
    const first = this.details[0];
    const where = [
      first.line != null ? `line ${first.line}` : null,
      first.field ? `field ${first.field}` : null,
    ]
      .filter(Boolean)
      .join(', ');
    throw new DomainError(
      'import_failed',
      `${this.count} problem${this.count === 1 ? '' : 's'} found, nothing was imported (first: ${where}: ${first.message})`,
      [...this.details].sort((a, b) => (a.line ?? 0) - (b.line ?? 0)),
    );
  }
}

/**
 * Reads a CSV file with a header row and validates every row against `schema`, collecting
 * every error with its line and field instead of stopping at the first.
 */
export async function parseCsv<S extends z.ZodType>(
  input: CsvInput,
  columns: { known: readonly string[]; required: readonly string[] },
  schema: S,
  errors: ImportErrors,
  options: ImportOptions = {},
): Promise<ParsedRow<z.output<S>>[]> {
  const rows: ParsedRow<z.output<S>>[] = [];
  const source = typeof input === 'string' || Buffer.isBuffer(input) ? Readable.from([input]) : input;
  const parser = source.pipe(
    parse({
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
      columns: (header: string[]) => {
        const names = header.map((h) => h.trim().toLowerCase());
        for (const name of columns.required) {
          if (!names.includes(name)) errors.add(1, name, `missing column ${name}`);
        }
        for (const name of names) {
          if (!columns.known.includes(name)) {
            errors.add(1, name, `unknown column ${name}; expected ${columns.known.join(', ')}`);
          }
        }
        return names;
      },
    }),
  );
  let count = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      count++;
      const result = schema.safeParse(record);
      if (result.success) rows.push({ line: info.lines, value: result.data });
      // A CSV row is flat: the field is the column, even when the issue is inside a parsed list.
      else {
        for (const issue of result.error.issues) {
          errors.add(info.lines, issue.path.length ? String(issue.path[0]) : undefined, issue.message);
        }
      }
      if (count % 50_000 === 0) options.onProgress?.({ phase: 'reading', rows: count });
    }
  } catch (error) {
    // A malformed file (an unclosed quote): report where the parser gave up.
    const lines = (error as { lines?: number }).lines;
    errors.add(lines ?? count + 1, undefined, `not readable as CSV: ${(error as Error).message}`);
  }
  if (count === 0 && errors.count === 0) errors.add(1, undefined, 'the file has no rows');
  options.onProgress?.({ phase: 'reading', rows: count });
  return rows;
}
