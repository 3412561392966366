import { createHash } from 'node:crypto';

/**
 * The audit log's hash chain (SPEC "Data protection"): each record's hash covers the previous
 * hash and the record itself, and the newest (seq, hash) is also kept apart as the head. Editing
 * a record breaks its own hash, deleting one breaks the next record's link, and removing the
 * newest leaves the chain shorter than the head.
 */
export const GENESIS_HASH = '0'.repeat(64);

/** What a record says, without its chain fields. */
export interface AuditContent {
  seq: number;
  at: number;
  userId: number | null;
  username: string | null;
  role: string | null;
  action: string;
  subjectType: string;
  subjectIds: readonly (number | string)[];
  fields: readonly string[];
  reason: string | null;
  requestId: string | null;
  details: Record<string, unknown> | null;
}

export interface ChainedRecord extends AuditContent {
  prevHash: string;
  hash: string;
}

export interface AuditHead {
  seq: number;
  hash: string;
}

/** JSON with object keys sorted at every level, so equal content always hashes equally. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new TypeError('canonical JSON has no NaN or Infinity');
    }
    return JSON.stringify(value ?? null);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function recordHash(prevHash: string, content: AuditContent): string {
  return createHash('sha256').update(prevHash).update(canonicalJson(content)).digest('hex');
}

/** Links new contents onto the chain after `head`; returns the records and the new head. */
export function chainRecords(
  head: AuditHead,
  contents: readonly Omit<AuditContent, 'seq'>[],
): { records: ChainedRecord[]; head: AuditHead } {
  let { seq, hash } = head;
  const records: ChainedRecord[] = [];
  for (const content of contents) {
    seq += 1;
    const full: AuditContent = { ...content, seq };
    const next = recordHash(hash, full);
    records.push({ ...full, prevHash: hash, hash: next });
    hash = next;
  }
  return { records, head: { seq, hash } };
}

export type ChainProblem =
  | { kind: 'hash_mismatch'; seq: number }
  | { kind: 'broken_link'; seq: number }
  | { kind: 'missing'; seq: number }
  | { kind: 'head_mismatch'; seq: number }
  | { kind: 'unreadable'; seq: number };

export type ChainVerdict =
  | { ok: true; records: number; head: AuditHead }
  | { ok: false; records: number; problem: ChainProblem; message: string };

/**
 * Checks records fed in seq order, so a log of any length is verified in constant memory.
 * Stops at the first problem: everything after a broken link is suspect anyway.
 */
export class ChainVerifier {
  private expectedSeq = 1;
  private lastHash = GENESIS_HASH;
  private count = 0;
  private problem: { problem: ChainProblem; message: string } | null = null;

  get failed(): boolean {
    return this.problem !== null;
  }

  push(record: ChainedRecord): void {
    if (this.problem) return;
    if (record.seq !== this.expectedSeq) {
      this.fail(
        { kind: 'missing', seq: this.expectedSeq },
        `record ${this.expectedSeq} is missing (next present is ${record.seq})`,
      );
      return;
    }
    if (record.prevHash !== this.lastHash) {
      this.fail(
        { kind: 'broken_link', seq: record.seq },
        `record ${record.seq} does not link to record ${record.seq - 1}`,
      );
      return;
    }
    const { prevHash, hash, ...content } = record;
    if (recordHash(prevHash, content) !== hash) {
      this.fail(
        { kind: 'hash_mismatch', seq: record.seq },
        `record ${record.seq} was altered: its content no longer matches its hash`,
      );
      return;
    }
    this.expectedSeq += 1;
    this.lastHash = hash;
    this.count += 1;
  }

  /** A record that could not even be parsed. */
  unreadable(seq: number, why: string): void {
    if (!this.problem) this.fail({ kind: 'unreadable', seq }, `record ${seq} is unreadable: ${why}`);
  }

  finish(head: AuditHead | null): ChainVerdict {
    if (this.problem) return { ok: false, records: this.count, ...this.problem };
    const last: AuditHead = { seq: this.expectedSeq - 1, hash: this.lastHash };
    if (!head) {
      return {
        ok: false,
        records: this.count,
        problem: { kind: 'head_mismatch', seq: last.seq },
        message: 'the audit head is missing',
      };
    }
    if (head.seq > last.seq) {
      return {
        ok: false,
        records: this.count,
        problem: { kind: 'missing', seq: last.seq + 1 },
        message: `records ${last.seq + 1}–${head.seq} are missing: the head says the log ends at ${head.seq}`,
      };
    }
    if (head.seq !== last.seq || head.hash !== last.hash) {
      return {
        ok: false,
        records: this.count,
        problem: { kind: 'head_mismatch', seq: head.seq < last.seq ? head.seq + 1 : head.seq },
        message: `the head (seq ${head.seq}) does not match the log's last record (seq ${last.seq})`,
      };
    }
    return { ok: true, records: this.count, head: last };
  }

  private fail(problem: ChainProblem, message: string): void {
    this.problem = { problem, message };
  }
}
