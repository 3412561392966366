import type { ErrorDetail } from '../errors.ts';

/**
 * A venue check-in (场所码扫码): a person scanned a venue's code at an instant. The raw material of
 * co-presence matching; rows arrive by the million, so parsing is a tight loop that collects every
 * bad row's line and field instead of stopping at the first.
 */
export interface Checkin {
  venueId: number;
  personId: number;
  at: number;
}

export const CHECKIN_CSV_COLUMNS = ['venue_id', 'person_id', 'at'] as const;

/** Accepts epoch milliseconds or an ISO 8601 instant with its offset (`2022-04-13T09:30:00+08:00`). */
export function parseInstant(value: string): number | null {
  const text = value.trim();
  if (/^\d{10,15}$/.test(text)) return Number(text);
  // A bare local time would be read in the machine's zone; an instant must say its offset.
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(text)) return null;
  const t = Date.parse(text);
  return Number.isFinite(t) ? t : null;
}

function positiveId(value: string): number | null {
  if (!/^\d{1,15}$/.test(value.trim())) return null;
  const n = Number(value);
  return n > 0 ? n : null;
}

/**
 * Parses CSV records (header already checked) into check-ins. `lines[i]` is the file line of
 * records[i] (blank lines are skipped by the reader, so lines are not simply i + 2). Errors name
 * the line and the column.
 */
export function parseCheckinRecords(
  records: readonly (readonly string[])[],
  lines: readonly number[],
): { checkins: Checkin[]; lines: number[]; errors: ErrorDetail[] } {
  const checkins: Checkin[] = [];
  const okLines: number[] = [];
  const errors: ErrorDetail[] = [];
  records.forEach((record, i) => {
    const line = lines[i];
    if (record.length !== CHECKIN_CSV_COLUMNS.length) {
      errors.push({
        line,
        message: `expected ${CHECKIN_CSV_COLUMNS.length} columns (${CHECKIN_CSV_COLUMNS.join(', ')}), found ${record.length}`,
      });
      return;
    }
    const venueId = positiveId(record[0]);
    const personId = positiveId(record[1]);
    const at = parseInstant(record[2]);
    if (venueId == null) {
      errors.push({ line, field: 'venue_id', message: 'must be a positive integer id', value: record[0] });
    }
    if (personId == null) {
      errors.push({ line, field: 'person_id', message: 'must be a positive integer id', value: record[1] });
    }
    if (at == null) {
      errors.push({
        line,
        field: 'at',
        message: 'must be epoch milliseconds or an ISO 8601 instant with its offset',
        value: record[2],
      });
    }
    if (venueId != null && personId != null && at != null) {
      checkins.push({ venueId, personId, at });
      okLines.push(line);
    }
  });
  return { checkins, lines: okLines, errors };
}

/** The header must be exactly the expected columns, so a file for another import is refused at line 1. */
export function checkCheckinHeader(header: readonly string[]): ErrorDetail | null {
  const normalised = header.map((h) => h.trim().toLowerCase());
  const ok =
    normalised.length === CHECKIN_CSV_COLUMNS.length &&
    CHECKIN_CSV_COLUMNS.every((c, i) => normalised[i] === c);
  return ok
    ? null
    : { line: 1, message: `header must be ${CHECKIN_CSV_COLUMNS.join(',')}`, value: header.join(',') };
}
