import { DomainError } from '../../domain/errors.ts';
import type { ItemOutcome, ScanItem } from '../../domain/screening/scan-group.ts';
import { writeScanGroupPg } from '../../store/screening/scan-store-pg.ts';
import { writeScanGroupSqlite } from '../../store/screening/scan-store-sqlite.ts';
import { audit, type AuditEntry } from '../access/audit.ts';
import type { AppContext } from '../context.ts';
import { appendAuditInOpenTransaction, auditContent } from './scan-audit.ts';

/**
 * Group commit for scans: one writer takes every batch waiting at that moment, decides and
 * writes them in one transaction, and answers each request when that transaction is on disk.
 * An fsync per commit instead of per request is what lets a 2-core machine take a city's round;
 * a request is never answered before its commit, so an acknowledged scan survives a crash.
 * The queue is bounded: past `maxPendingScans` a request is refused at once (429 Retry-After)
 * instead of piling up in memory.
 */
export interface IngestQueueOptions {
  maxPendingScans?: number;
  /** Largest group per transaction; bigger groups mean fewer fsyncs but a longer pause for other work. */
  maxGroupScans?: number;
  /** Concurrent group writers on PostgreSQL (each holds one pooled connection). */
  pgWriters?: number;
}

/** CORDON_INGEST_TRACE=1 prints each group's size and time (tuning). */
const TRACE = process.env.CORDON_INGEST_TRACE === '1';

interface Waiting {
  items: ScanItem[];
  audit: AuditEntry | null;
  resolve(outcomes: ItemOutcome[]): void;
  reject(error: unknown): void;
}

export class ScanIngestQueue {
  private readonly waiting: Waiting[] = [];
  private pending = 0;
  private writers = 0;
  private readonly sitesInFlight = new Set<number>();
  /** Groups written at once: SQLite has one writer; PostgreSQL overlaps one group's round trips with another's. */
  readonly concurrency: number;
  /** Scans per ms, smoothed: how long the queue takes to drain, for Retry-After. */
  private rate = 20;
  readonly maxPendingScans: number;
  readonly maxGroupScans: number;

  constructor(
    private readonly ctx: AppContext,
    options: IngestQueueOptions = {},
  ) {
    this.maxPendingScans = options.maxPendingScans ?? 60_000;
    this.maxGroupScans = options.maxGroupScans ?? 8_000;
    this.concurrency = ctx.store.dialect === 'postgres' ? (options.pgWriters ?? 3) : 1;
  }

  get pendingScans(): number {
    return this.pending;
  }

  /** Seconds a refused client should wait: the time to drain what is queued, at least 1. */
  retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(this.pending / this.rate / 1000));
  }

  /** Queues the batch; its audit record (if any) commits with it. */
  submit(items: ScanItem[], auditEntry: AuditEntry | null = null): Promise<ItemOutcome[]> {
    if (items.length === 0) return Promise.resolve([]);
    if (this.pending + items.length > this.maxPendingScans) {
      throw new DomainError('overloaded', `scan queue full (${this.pending} scans waiting)`);
    }
    this.pending += items.length;
    const done = new Promise<ItemOutcome[]>((resolve, reject) =>
      this.waiting.push({ items, audit: auditEntry, resolve, reject }),
    );
    this.drain();
    return done;
  }

  /**
   * Starts groups while there is work and a writer free (one on SQLite; several on PostgreSQL).
   * Concurrent groups never share a sampling site: a site's tubes are then written by one group
   * at a time, so two groups never race to open the same tube.
   */
  private drain(): void {
    while (this.waiting.length > 0 && this.writers < this.concurrency) {
      const group: Waiting[] = [];
      const sites = new Set<number>();
      let size = 0;
      for (let i = 0; i < this.waiting.length && size < this.maxGroupScans;) {
        const next = this.waiting[i];
        const site = next.items[0].siteId;
        const busy = this.sitesInFlight.has(site) && !sites.has(site);
        if (busy || (group.length > 0 && size + next.items.length > this.maxGroupScans)) {
          i++;
          continue;
        }
        this.waiting.splice(i, 1);
        group.push(next);
        sites.add(site);
        size += next.items.length;
      }
      if (group.length === 0) return;
      for (const site of sites) this.sitesInFlight.add(site);
      this.writers++;
      void this.run(group, size).finally(() => {
        this.writers--;
        for (const site of sites) this.sitesInFlight.delete(site);
        // Let the requests that arrived meanwhile be parsed before the next group, so groups grow under load.
        setImmediate(() => this.drain());
      });
    }
  }

  private async run(group: Waiting[], size: number): Promise<void> {
    const items = group.flatMap((w) => w.items);
    const started = performance.now();
    try {
      const outcomes = await this.write(
        items,
        group.flatMap((w) => (w.audit ? [w.audit] : [])),
      );
      let offset = 0;
      for (const w of group) {
        w.resolve(outcomes.slice(offset, offset + w.items.length));
        offset += w.items.length;
      }
    } catch (error) {
      if (group.length === 1) group[0].reject(error);
      // The group was rolled back whole: each batch is written again alone, so one bad batch never fails another.
      else for (const w of group) await this.writeAlone(w);
    } finally {
      this.pending -= size;
      const ms = Math.max(1, performance.now() - started);
      this.rate = 0.8 * this.rate + 0.2 * ((size * this.concurrency) / ms);
      if (TRACE) {
        process.stderr.write(
          `[ingest] group ${group.length} batches, ${size} scans, ${ms.toFixed(1)} ms, ${this.pending} waiting\n`,
        );
      }
    }
  }

  private async writeAlone(w: Waiting): Promise<void> {
    try {
      w.resolve(await this.write(w.items, w.audit ? [w.audit] : []));
    } catch (error) {
      w.reject(error);
    }
  }

  private async write(items: ScanItem[], audits: AuditEntry[]): Promise<ItemOutcome[]> {
    const { store, clock } = this.ctx;
    const now = clock.now();
    if (store.dialect === 'postgres') {
      // PostgreSQL commits do not block the event loop: the audit writer's own group commit is fine.
      const [outcomes] = await Promise.all([
        writeScanGroupPg(store.pgPool!, items, now),
        ...audits.map((a) => audit(this.ctx, a)),
      ]);
      return outcomes;
    }
    // Hold Kysely's one connection: no query-builder statement can run inside the raw transaction.
    const written = await store.db.connection().execute((conn) =>
      writeScanGroupSqlite(store.sqlite!, items, now, () =>
        appendAuditInOpenTransaction(
          conn,
          'sqlite',
          audits.map((a) => auditContent(a, now)),
          now,
        ),
      ),
    );
    // Acknowledged only once on disk; the connection serves others meanwhile.
    await written.flush();
    return written.outcomes;
  }
}

const queues = new WeakMap<AppContext, ScanIngestQueue>();

/** The context's one ingest queue (one writer per process). */
export function scanQueue(ctx: AppContext, options?: IngestQueueOptions): ScanIngestQueue {
  let q = queues.get(ctx);
  if (!q) {
    q = new ScanIngestQueue(ctx, options);
    queues.set(ctx, q);
  }
  return q;
}
