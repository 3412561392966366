import { parse } from 'csv-parse/sync';
import { DomainError, type ErrorDetail } from '../../domain/errors.ts';
import { TUBE_OUTCOMES, type TubeOutcome } from '../../domain/screening/results.ts';
import type { ResultLine } from './results.ts';

/**
 * A lab's CSV upload: `tube_code,outcome,ct_orf1ab,ct_n` with a header line; outcome is
 * negative / positive / invalid (or 阴性 / 阳性 / 无效). Errors name the file line (the header
 * is line 1) and the column; nothing is posted unless every line parses.
 */
const OUTCOME_WORDS: Record<string, TubeOutcome> = { 阴性: 'negative', 阳性: 'positive', 无效: 'invalid' };
const COLUMNS = ['tube_code', 'outcome', 'ct_orf1ab', 'ct_n'];

function ct(value: string | undefined, line: number, field: string, errors: ErrorDetail[]): number | null {
  const text = (value ?? '').trim();
  if (text === '') return null;
  const n = Number(text);
  if (!Number.isFinite(n)) {
    errors.push({ line, field, message: `not a number: ${text}`, value: text });
    return null;
  }
  return n;
}

export function parseResultsCsv(text: string): ResultLine[] {
  let records: string[][];
  try {
    records = parse(text, {
      bom: true,
      skip_empty_lines: false,
      relax_column_count: true,
      trim: true,
    }) as string[][];
  } catch (error) {
    const e = error as { lines?: number; message: string };
    throw new DomainError('import_failed', `the file is not valid CSV: ${e.message}`, [
      { line: e.lines, message: e.message },
    ]);
  }
  const header = (records[0] ?? []).map((h) => h.toLowerCase());
  const missing = COLUMNS.slice(0, 2).filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new DomainError(
      'import_failed',
      `line 1: missing column(s) ${missing.join(', ')}`,
      missing.map((c) => ({ line: 1, field: c, message: 'missing column' })),
    );
  }
  const at = (name: string) => header.indexOf(name);
  const errors: ErrorDetail[] = [];
  const lines: ResultLine[] = [];
  records.slice(1).forEach((row, i) => {
    const line = i + 2;
    if (row.every((cell) => cell === '')) return;
    const tubeCode = row[at('tube_code')] ?? '';
    const word = (row[at('outcome')] ?? '').toLowerCase();
    const outcome =
      OUTCOME_WORDS[word] ??
      ((TUBE_OUTCOMES as readonly string[]).includes(word) ? (word as TubeOutcome) : null);
    if (!tubeCode) errors.push({ line, field: 'tube_code', message: 'empty' });
    if (!outcome) {
      errors.push({
        line,
        field: 'outcome',
        message: `must be negative, positive or invalid, not "${word}"`,
        value: word,
      });
    }
    const orf1ab = at('ct_orf1ab') >= 0 ? ct(row[at('ct_orf1ab')], line, 'ct_orf1ab', errors) : null;
    const n = at('ct_n') >= 0 ? ct(row[at('ct_n')], line, 'ct_n', errors) : null;
    if (tubeCode && outcome) lines.push({ line, tubeCode, outcome, ct: { orf1ab, n } });
  });
  if (errors.length > 0) {
    const first = errors[0];
    throw new DomainError(
      'import_failed',
      `${errors.length} line(s) with errors; first: line ${first.line}, ${first.field}: ${first.message}`,
      errors,
    );
  }
  return lines;
}
