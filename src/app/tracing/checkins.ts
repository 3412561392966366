import { parse } from 'csv-parse/sync';
import { DomainError, type ErrorDetail } from '../../domain/errors.ts';
import { checkCheckinHeader, parseCheckinRecords, type Checkin } from '../../domain/tracing/checkins.ts';
import { TRACING_EVENTS } from '../../domain/tracing/types.ts';
import { insertCheckins } from '../../store/tracing/checkins.ts';
import { personDistricts, placeFacts } from '../../store/tracing/people.ts';
import type { RegionFilter } from '../../store/tracing/scope.ts';
import { filterCovers } from './access.ts';
import type { TracingCheckinTable } from '../../store/tracing/tables.ts';
import { inTransaction, type AppContext, type UnitOfWork } from '../context.ts';

export interface IngestResult {
  received: number;
  /** New rows; a row already stored (same venue, instant and person) is not counted again. */
  inserted: number;
}

/** Largest batch one request may carry; bigger uploads are split by the client (and by the CLI). */
export const MAX_CHECKIN_BATCH = 200_000;

/**
 * Stores a batch of venue check-ins, all or nothing: every unknown venue or person is reported
 * with the row's position (`field`, e.g. `checkins.17.venueId`, or its CSV line) and nothing is
 * written. Ids are resolved with one `in (…)` read per 900 distinct ids; rows go in through the
 * store's bulk path. One summary event per venue district (not per row).
 */
export async function ingestCheckins(
  ctx: AppContext,
  checkins: readonly Checkin[],
  where: CheckinOrigin = {},
): Promise<IngestResult> {
  if (checkins.length > MAX_CHECKIN_BATCH) {
    throw new DomainError(
      'validation_failed',
      `at most ${MAX_CHECKIN_BATCH} check-ins per batch; split the upload`,
      [
        {
          field: where.field ?? 'checkins',
          message: `${checkins.length} rows is more than ${MAX_CHECKIN_BATCH}`,
        },
      ],
    );
  }
  return inTransaction(ctx, (uow) => storeCheckins(ctx, uow, checkins, where));
}

/** Where rows came from, for errors: a JSON field path, or the CSV lines of each row; and whose scope limits the venues. */
export interface CheckinOrigin {
  field?: string;
  lines?: readonly number[];
  scope?: RegionFilter;
}

/** `ingestCheckins` inside the caller's unit of work (a file import stores all its chunks in one). */
export async function storeCheckins(
  ctx: AppContext,
  uow: UnitOfWork,
  checkins: readonly Checkin[],
  where: CheckinOrigin,
): Promise<IngestResult> {
  const venues = await placeFacts(
    uow.trx,
    checkins.map((c) => c.venueId),
  );
  const people = await personDistricts(
    uow.trx,
    checkins.map((c) => c.personId),
  );
  const errors: ErrorDetail[] = [];
  const rows: TracingCheckinTable[] = new Array(checkins.length);
  checkins.forEach((c, i) => {
    const venue = venues.get(c.venueId);
    const personDistrict = people.get(c.personId);
    const at = where.lines ? { line: where.lines[i] } : {};
    const field = (name: string) => (where.lines ? name : `${where.field ?? 'checkins'}.${i}.${name}`);
    // An uploader outside the city level may only load its own area's venues; others read as missing.
    const known = venue !== undefined && (!where.scope || filterCovers(where.scope, venue));
    if (!known) {
      errors.push({
        ...at,
        field: field(where.lines ? 'venue_id' : 'venueId'),
        message: `place ${c.venueId} does not exist in your area`,
        value: c.venueId,
      });
    }
    if (personDistrict === undefined) {
      errors.push({
        ...at,
        field: field(where.lines ? 'person_id' : 'personId'),
        message: `person ${c.personId} does not exist`,
        value: c.personId,
      });
    }
    if (c.at > uow.now + 5 * 60_000) {
      errors.push({ ...at, field: field('at'), message: 'is in the future', value: c.at });
    }
    rows[i] = {
      venue_id: c.venueId,
      at: c.at,
      person_id: c.personId,
      district_id: venue?.districtId ?? 0,
      person_district_id: personDistrict ?? 0,
    };
  });
  if (errors.length > 0) {
    const first = errors[0];
    const place = first.line != null ? `line ${first.line}, ${first.field}` : first.field;
    // A file is refused as an import (nothing changed); a JSON batch as an invalid request.
    const code = where.lines ? 'import_failed' : 'validation_failed';
    throw new DomainError(
      code,
      `${errors.length} check-in error(s); first: ${place}: ${first.message}`,
      errors.slice(0, 1000),
    );
  }
  const inserted = await insertCheckins(ctx.store, uow.trx, rows);
  const byDistrict = new Map<number, { count: number; from: number; until: number }>();
  for (const r of rows) {
    const s = byDistrict.get(r.district_id) ?? { count: 0, from: r.at, until: r.at };
    s.count++;
    s.from = Math.min(s.from, r.at);
    s.until = Math.max(s.until, r.at);
    byDistrict.set(r.district_id, s);
  }
  for (const [districtId, s] of byDistrict) {
    uow.publish({
      type: TRACING_EVENTS.checkinsIngested,
      occurredAt: uow.now,
      regionIds: [districtId],
      payload: { districtId, ...s },
    });
  }
  return { received: checkins.length, inserted };
}

/**
 * A CSV upload (`venue_id,person_id,at`): parsing errors name the line and column; then the rows
 * go through `ingestCheckins`, whose errors also name the line.
 */
export async function ingestCheckinsCsv(
  ctx: AppContext,
  text: string,
  scope?: RegionFilter,
): Promise<IngestResult> {
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    parsed = parse(text, {
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      bom: true,
      info: true,
    }) as typeof parsed;
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw new DomainError('import_failed', `the CSV could not be read: ${(error as Error).message}`, [
      { line, message: (error as Error).message },
    ]);
  }
  if (parsed.length === 0) {
    throw new DomainError('import_failed', 'the file is empty', [{ line: 1, message: 'no header' }]);
  }
  const headerError = checkCheckinHeader(parsed[0].record);
  if (headerError) {
    throw new DomainError('import_failed', headerError.message, [
      { ...headerError, line: parsed[0].info.lines },
    ]);
  }
  const body = parsed.slice(1);
  const { checkins, lines, errors } = parseCheckinRecords(
    body.map((p) => p.record),
    body.map((p) => p.info.lines),
  );
  if (errors.length > 0) {
    const first = errors[0];
    throw new DomainError(
      'import_failed',
      `${errors.length} error(s); first: line ${first.line}${first.field ? `, ${first.field}` : ''}: ${first.message}`,
      errors.slice(0, 1000),
    );
  }
  return ingestCheckins(ctx, checkins, { lines, scope });
}
