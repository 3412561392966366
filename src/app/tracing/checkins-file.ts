import fs from 'node:fs';
import { parse } from 'csv-parse';
import { DomainError, type ErrorDetail } from '../../domain/errors.ts';
import { checkCheckinHeader, parseCheckinRecords, type Checkin } from '../../domain/tracing/checkins.ts';
import { inTransaction, type AppContext } from '../context.ts';
import { storeCheckins, type IngestResult } from './checkins.ts';

const CHUNK = 100_000;

/**
 * `cordon checkins import FILE.csv`: a day's check-ins from a venue-code platform, millions of
 * rows. Streamed (the file is never held whole), parsed and stored 100,000 rows at a time, all in
 * one transaction: any bad line — its line and column named — and nothing is stored.
 */
export async function importCheckinsFile(
  ctx: AppContext,
  file: string,
  onProgress?: (rows: number) => void,
): Promise<IngestResult> {
  if (!fs.existsSync(file)) {
    throw new DomainError('import_failed', `${file}: no such file`, [
      { message: 'no such file', value: file },
    ]);
  }
  return inTransaction(ctx, async (uow) => {
    const parser = fs
      .createReadStream(file)
      .pipe(parse({ skip_empty_lines: true, relax_column_count: true, trim: true, bom: true, info: true }));
    let header = true;
    let records: string[][] = [];
    let lines: number[] = [];
    const total: IngestResult = { received: 0, inserted: 0 };
    const flush = async () => {
      const parsed = parseCheckinRecords(records, lines);
      refuse(parsed.errors);
      const stored = await storeCheckins(ctx, uow, parsed.checkins as Checkin[], { lines: parsed.lines });
      total.received += stored.received;
      total.inserted += stored.inserted;
      records = [];
      lines = [];
      onProgress?.(total.received);
    };
    try {
      for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
        if (header) {
          const error = checkCheckinHeader(item.record);
          if (error) refuse([{ ...error, line: item.info.lines }]);
          header = false;
          continue;
        }
        records.push(item.record);
        lines.push(item.info.lines);
        if (records.length >= CHUNK) await flush();
      }
    } catch (error) {
      if (error instanceof DomainError) throw error;
      const line = (error as { lines?: number }).lines;
      throw new DomainError(
        'import_failed',
        `${file}: the CSV could not be read: ${(error as Error).message}`,
        [{ line, message: (error as Error).message }],
      );
    }
    if (header) {
      refuse([{ line: 1, message: 'the file is empty: expected the header venue_id,person_id,at' }]);
    }
    if (records.length > 0) await flush();
    return total;
  });
}

function refuse(errors: ErrorDetail[]): void {
  if (errors.length === 0) return;
  const first = errors[0];
  throw new DomainError(
    'import_failed',
    `${errors.length} error(s); first: line ${first.line}${first.field ? `, ${first.field}` : ''}: ${first.message}`,
    errors.slice(0, 1000),
  );
}
