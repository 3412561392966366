import type { Transaction } from 'kysely';
import type { CordonEvent } from '../domain/kernel/events.ts';
import type { Store } from '../store/database.ts';
import {
  lockConsumer,
  readConsumerOffset,
  readEventsAfter,
  sequenceEvents,
  lastSequencedEvent,
  writeConsumerOffset,
} from '../store/outbox.ts';
import { transactionFlushedLater } from '../store/off-thread-sync.ts';
import type { Database } from '../store/schema.ts';

/**
 * An in-process consumer. `handle` runs inside a transaction that also records the consumer's
 * offset, so each event takes effect exactly once: a redelivered event (after a crash, or a
 * second dispatcher) is skipped by its id.
 */
export interface EventConsumer {
  name: string;
  /** Event types it wants; all when omitted. */
  types?: readonly string[];
  handle(event: CordonEvent, trx: Transaction<Database>): Promise<void>;
  /**
   * Optional: the events of one delivery at once (in order, each new to this consumer and of its
   * types), for consumers that read and write per batch rather than per event. Used instead of
   * `handle` when present.
   */
  handleBatch?(events: readonly CordonEvent[], trx: Transaction<Database>): Promise<void>;
}

/** Events a consumer takes in one transaction. */
const BATCH = 500;
/** How far a consumer's offset may trail the head while none of the events are of its types. */
const IDLE_OFFSET_LAG = 5000;

export type EventListener = (event: CordonEvent) => void;

export interface DispatcherOptions {
  /** How often to look for events written by other processes (ms). */
  pollMs?: number;
  onError?: (error: unknown, where: string) => void;
}

/**
 * Delivers the outbox in order: sequences committed events, fans them out to live listeners
 * (SSE), then lets each consumer catch up. One run at a time; `wake()` after a commit coalesces.
 */
export class EventDispatcher {
  private readonly consumers: EventConsumer[] = [];
  private readonly listeners = new Set<EventListener>();
  private broadcastSeq = 0;
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private started = false;

  constructor(
    private readonly store: Store,
    private readonly options: DispatcherOptions = {},
  ) {}

  register(consumer: EventConsumer): void {
    if (this.consumers.some((c) => c.name === consumer.name)) {
      throw new Error(`event consumer registered twice: ${consumer.name}`);
    }
    this.consumers.push(consumer);
  }

  /** Live events after `subscribe`; the caller replays history itself (see sse.ts). */
  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get lastBroadcast(): number {
    return this.broadcastSeq;
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    // Listeners only hear what happens from now on; history is replayed from the table.
    this.broadcastSeq = await lastSequencedEvent(this.store.db);
    const pollMs = this.options.pollMs ?? 250;
    this.timer = setInterval(() => this.wake(), pollMs);
    this.timer.unref();
    this.wake();
  }

  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  wake(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.runUntilIdle().finally(() => {
      this.running = null;
    });
  }

  /** Resolves when everything committed so far has been sequenced, broadcast and consumed. */
  async drain(): Promise<void> {
    for (;;) {
      if (this.running) await this.running;
      const progressed = await this.runOnce();
      if (!progressed && !this.running) return;
    }
  }

  private async runUntilIdle(): Promise<void> {
    do {
      this.again = false;
      try {
        while (await this.runOnce()) {
          /* keep going while there is work */
        }
      } catch (error) {
        this.report(error, 'dispatch');
      }
    } while (this.again);
  }

  private inRun = false;

  /** One pass; true when it moved anything. */
  private async runOnce(): Promise<boolean> {
    if (this.inRun) return false;
    this.inRun = true;
    try {
      const sequenced = await sequenceEvents(this.store);
      const broadcast = await this.broadcast();
      let consumed = false;
      const head = await lastSequencedEvent(this.store.db);
      for (const consumer of this.consumers) {
        if (await this.catchUp(consumer, head)) consumed = true;
      }
      return sequenced > 0 || broadcast || consumed;
    } finally {
      this.inRun = false;
    }
  }

  private async broadcast(): Promise<boolean> {
    if (!this.started && this.listeners.size === 0) return false;
    const events = await readEventsAfter(this.store.db, this.broadcastSeq, 2000);
    for (const event of events) {
      this.broadcastSeq = event.id;
      for (const listener of this.listeners) {
        try {
          listener(event);
        } catch (error) {
          this.report(error, 'listener');
        }
      }
    }
    return events.length > 0;
  }

  /** Delivers the consumer's events up to `head` (at most a batch); true when its offset moved. */
  private async catchUp(consumer: EventConsumer, head: number): Promise<boolean> {
    const offset = await readConsumerOffset(this.store.db, consumer.name);
    if (offset >= head) return false;
    const types = consumer.types;
    const events =
      types?.length === 0 ? [] : await readEventsAfter(this.store.db, offset, BATCH, { types, upTo: head });
    // A full batch ends at its last event; otherwise every event up to head was read (those of
    // other types need nothing from this consumer).
    const upTo = events.length === BATCH ? events[events.length - 1].id : head;
    // Nothing of its types yet: the offset can wait (a commit a consumer a pass otherwise).
    if (events.length === 0 && upTo - offset < IDLE_OFFSET_LAG) return false;
    try {
      // Derived work: committed without a flush of its own (docs/adr/0010-derived-commits.md).
      await transactionFlushedLater(this.store, async (trx) => {
        // Re-read under a lock: another dispatcher may have moved the offset meanwhile.
        await lockConsumer(this.store, trx, consumer.name);
        const current = await readConsumerOffset(trx, consumer.name);
        const fresh = events.filter((e) => e.id > current);
        if (consumer.handleBatch) {
          if (fresh.length > 0) await consumer.handleBatch(fresh, trx);
        } else {
          for (const event of fresh) await consumer.handle(event, trx);
        }
        await writeConsumerOffset(trx, consumer.name, Math.max(current, upTo));
      });
    } catch (error) {
      this.report(error, `consumer ${consumer.name}`);
      return false;
    }
    return true;
  }

  private report(error: unknown, where: string): void {
    if (this.options.onError) this.options.onError(error, where);
    else console.error(`[events] ${where}:`, error);
  }
}
