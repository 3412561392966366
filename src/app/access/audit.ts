import { sql } from 'kysely';
import {
  chainRecords,
  ChainVerifier,
  type AuditContent,
  type AuditHead,
  type ChainVerdict,
} from '../../domain/access/audit-chain.ts';
import type { Principal } from '../../domain/access/principal.ts';
import type { AppContext } from '../context.ts';
import { transactionSyncedOffThread } from '../../store/off-thread-sync.ts';
import { appendRecords, lockHead, readAuditPage, readHead, readHeadRow, rowToRecord } from './audit-store.ts';

/**
 * The audit log (SPEC "Data protection"): one append-only, hash-chained record per request that
 * reads or changes personal data and per reveal. Requests hand their record to the context's
 * AuditWriter and answer only once it has committed: nothing a user saw goes unrecorded.
 */
export interface AuditActor {
  userId: number | null;
  username: string | null;
  role: string | null;
}

export interface AuditEntry {
  actor: AuditActor;
  /** Dotted verb: person.read, people.list, people.export, person.reveal, people.purge, … */
  action: string;
  subjectType: string;
  subjectIds: readonly (number | string)[];
  /** Personal fields read, changed or revealed. */
  fields?: readonly string[];
  reason?: string | null;
  requestId?: string | null;
  /** What the request asked for when it has no subject ids of its own (filters, counts). */
  details?: Record<string, unknown> | null;
}

export function actorOf(principal: Principal): AuditActor {
  return { userId: principal.userId, username: principal.username, role: principal.role };
}

/** An operator at the command line: no user row, named by the command. */
export function systemActor(command: string): AuditActor {
  return { userId: null, username: `cli:${command}`, role: 'system' };
}

interface Pending {
  content: Omit<AuditContent, 'seq'>;
  resolve(): void;
  reject(error: unknown): void;
}

export interface AuditWriterOptions {
  /** Records written in one transaction at most. */
  maxBatch?: number;
}

/**
 * Group commit without a timer: when the writer is idle a record is written at the end of the
 * current event-loop turn (with whatever else that turn recorded), so a lone audited read is
 * durable after one commit, not after a batching delay plus a commit. While a batch is being
 * written, new records wait and go together in the next one: under load the disk flush itself
 * is the batching window, one fsync for many requests. `record()` resolves only after the commit
 * is on disk (the flush runs off the event loop: store/off-thread-sync.ts). One batch is in
 * flight at a time, which is also what keeps the chain linear in-process.
 */
export class AuditWriter {
  private pending: Pending[] = [];
  private scheduled: NodeJS.Immediate | null = null;
  private flushing: Promise<void> | null = null;
  private readonly maxBatch: number;

  constructor(
    private readonly ctx: AppContext,
    options: AuditWriterOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 1000;
  }

  record(entry: AuditEntry): Promise<void> {
    const content: Omit<AuditContent, 'seq'> = {
      at: this.ctx.clock.now(),
      userId: entry.actor.userId,
      username: entry.actor.username,
      role: entry.actor.role,
      action: entry.action,
      subjectType: entry.subjectType,
      subjectIds: [...entry.subjectIds],
      fields: [...(entry.fields ?? [])],
      reason: entry.reason ?? null,
      requestId: entry.requestId ?? null,
      details: entry.details ?? null,
    };
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ content, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves when everything recorded so far has been written (or has failed). */
  async drain(): Promise<void> {
    for (;;) {
      if (this.scheduled) {
        clearImmediate(this.scheduled);
        this.scheduled = null;
      }
      if (!this.flushing && this.pending.length > 0) void this.flush();
      if (!this.flushing) return;
      await this.flushing;
    }
  }

  /** Idle: write at the end of this turn. Busy: the records go when the batch in flight is done. */
  private schedule(): void {
    if (this.flushing || this.scheduled) return;
    this.scheduled = setImmediate(() => {
      this.scheduled = null;
      void this.flush();
    });
  }

  private flush(): Promise<void> {
    const batch = this.pending.splice(0, this.maxBatch);
    const run = this.write(batch.map((p) => p.content)).then(
      () => batch.forEach((p) => p.resolve()),
      (error: unknown) => batch.forEach((p) => p.reject(error)),
    );
    this.flushing = run.finally(() => {
      this.flushing = null;
      // What arrived meanwhile has already waited a whole commit: write it now.
      if (this.pending.length > 0) void this.flush();
    });
    return this.flushing;
  }

  private async write(contents: Omit<AuditContent, 'seq'>[]): Promise<void> {
    if (contents.length === 0) return;
    const { store, clock } = this.ctx;
    await transactionSyncedOffThread(store, async (trx) => {
      const now = clock.now();
      const head = await lockHead(trx, store.dialect, now);
      // Never re-create a missing head: that would silently reset the chain an auditor checks.
      if (!head) throw new Error('the audit head row is missing; run `cordon audit verify` and restore it');
      const chained = chainRecords(head, contents);
      await appendRecords(trx, chained.records, chained.head, now);
    });
  }
}

const writers = new WeakMap<AppContext, AuditWriter>();

/** The context's one writer (one per context, so one chain appender per process). */
export function getAuditWriter(ctx: AppContext): AuditWriter {
  let writer = writers.get(ctx);
  if (!writer) {
    writer = new AuditWriter(ctx);
    writers.set(ctx, writer);
  }
  return writer;
}

/** Records one entry and resolves once it is durable. */
export function audit(ctx: AppContext, entry: AuditEntry): Promise<void> {
  return getAuditWriter(ctx).record(entry);
}

/**
 * Recomputes the whole chain in seq order and checks it against the head. Records appended
 * while it runs are not a problem: it checks up to the head it read first, then makes sure no
 * record lies beyond the head as it stands at the end.
 */
export async function verifyAuditLog(ctx: AppContext, pageSize = 5000): Promise<ChainVerdict> {
  const db = ctx.store.db;
  const head = await readHead(db);
  const verifier = new ChainVerifier();
  const limit = head?.seq ?? Number.MAX_SAFE_INTEGER;
  let after = 0;
  for (;;) {
    const page = await readAuditPage(db, after, pageSize);
    for (const row of page) {
      if (Number(row.seq) > limit) break;
      try {
        verifier.push(rowToRecord(row));
      } catch (error) {
        verifier.unreadable(Number(row.seq), error instanceof Error ? error.message : String(error));
      }
    }
    if (verifier.failed || page.length < pageSize || Number(page[page.length - 1].seq) >= limit) break;
    after = Number(page[page.length - 1].seq);
  }
  const verdict = verifier.finish(head);
  if (!verdict.ok) return verdict;
  const headNow = (await readHead(db)) as AuditHead;
  const max = await db
    .selectFrom('audit_log')
    .select(sql<number | null>`max(seq)`.as('max'))
    .executeTakeFirst();
  const maxSeq = Number(max?.max ?? 0);
  if (maxSeq > headNow.seq) {
    return {
      ok: false,
      records: verdict.records,
      problem: { kind: 'head_mismatch', seq: headNow.seq + 1 },
      message: `records ${headNow.seq + 1}–${maxSeq} lie beyond the head: they were not written by Cordon`,
    };
  }
  return verdict;
}

export async function auditHead(
  ctx: AppContext,
): Promise<{ seq: number; hash: string; updatedAt: number } | null> {
  return readHeadRow(ctx.store.db);
}
