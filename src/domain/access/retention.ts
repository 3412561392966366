import { invalid } from '../errors.ts';

/**
 * Retention of personal data (SPEC "Data protection"): a person's personal fields are kept for
 * a retention period after their last activity (test, control episode, case), then purged; the
 * row itself stays so that counts by area and day still add up.
 */
export const DEFAULT_RETENTION_DAYS = 90;
const DAY_MS = 86_400_000;

/** People whose last activity is before this instant are past retention. */
export function retentionCutoff(now: number, retentionDays: number): number {
  if (!Number.isInteger(retentionDays) || retentionDays < 1) {
    throw new RangeError('retention days must be a whole number of at least 1');
  }
  return now - retentionDays * DAY_MS;
}

export interface RetentionSubject {
  createdAt: number;
  lastActivityAt: number | null;
  purgedAt: number | null;
}

export function isPastRetention(subject: RetentionSubject, now: number, retentionDays: number): boolean {
  if (subject.purgedAt != null) return false;
  return (subject.lastActivityAt ?? subject.createdAt) < retentionCutoff(now, retentionDays);
}

/** The personal fields purge clears; district, street, building and flags stay for aggregates. */
export const PURGED_PERSON_FIELDS = ['name', 'phone', 'id_hash', 'household_id', 'floor'] as const;

/** Reads CORDON_RETENTION_DAYS; the field is named in the error so an operator can fix it. */
export function parseRetentionDays(value: string | undefined): number {
  if (value == null || value.trim() === '') return DEFAULT_RETENTION_DAYS;
  const days = Number(value);
  if (!Number.isInteger(days) || days < 1) {
    throw invalid('CORDON_RETENTION_DAYS', 'must be a whole number of days, at least 1', value);
  }
  return days;
}
