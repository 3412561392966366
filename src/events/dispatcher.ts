import { sql, type Transaction } from 'kysely';
import type { CordonEvent } from '../domain/kernel/events.ts';
import type { Store } from '../store/database.ts';
import {
  lockConsumer,
  readConsumerOffset,
  readConsumerOffsets,
  advanceConsumerOffsets,
  readEventsAfter,
  sequenceEvents,
  lastSequencedEvent,
  writeConsumerOffset,
} from '../store/outbox.ts';
import { transactionFlushedLater } from '../store/off-thread-sync.ts';
import { EventWindowBuffer, indexAfter, type EventWindow } from './event-window.ts';
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

/** Events a consumer takes in one pass. */
const BATCH = 500;
/** Events held in memory for the consumers and live listeners (event-window.ts). */
const WINDOW = 20_000;

/** What one consumer takes in a pass: its events (maybe none) and the offset it moves to. */
interface Delivery {
  consumer: EventConsumer;
  events: readonly CordonEvent[];
  upTo: number;
}

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
  private readonly window: EventWindowBuffer;

  constructor(
    private readonly store: Store,
    private readonly options: DispatcherOptions = {},
  ) {
    this.window = new EventWindowBuffer(store, WINDOW);
  }

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
      const head = await lastSequencedEvent(this.store.db);
      const offsets = await readConsumerOffsets(this.store.db);
      const behind = this.consumers.filter((c) => (offsets.get(c.name) ?? 0) < head);
      const listening = this.started || this.listeners.size > 0;
      const starts = behind.map((c) => offsets.get(c.name) ?? 0);
      if (listening && this.broadcastSeq < head) starts.push(this.broadcastSeq);
      if (starts.length === 0) return sequenced > 0;
      const from = Math.min(...starts);
      const window = await this.window.advance(from, head);
      const broadcast = listening && (await this.broadcast(window));
      const deliveries: Delivery[] = [];
      for (const consumer of behind) {
        deliveries.push(await this.deliveryFor(consumer, offsets.get(consumer.name) ?? 0, head, window));
      }
      const consumed = await this.deliver(deliveries);
      return sequenced > 0 || broadcast || consumed;
    } finally {
      this.inRun = false;
    }
  }

  private async broadcast(window: EventWindow): Promise<boolean> {
    const events =
      this.broadcastSeq >= window.from && this.broadcastSeq < window.to
        ? window.events.slice(indexAfter(window.events, this.broadcastSeq))
        : await readEventsAfter(this.store.db, this.broadcastSeq, 2000);
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

  /** The consumer's events after `offset` (at most a batch), from the window when it covers them. */
  private async deliveryFor(
    consumer: EventConsumer,
    offset: number,
    head: number,
    window: EventWindow,
  ): Promise<Delivery> {
    const types = consumer.types;
    if (offset >= window.from && offset < window.to) {
      // Made per pass: a consumer's types may grow after it registers (the rule runner's do).
      const wanted = types ? new Set(types) : null;
      const events: CordonEvent[] = [];
      for (let i = indexAfter(window.events, offset); i < window.events.length; i++) {
        const event = window.events[i];
        if (wanted && !wanted.has(event.type)) continue;
        events.push(event);
        if (events.length === BATCH) return { consumer, events, upTo: event.id };
      }
      // Every event up to the window's end was seen: those of other types need nothing from it.
      return { consumer, events, upTo: window.to };
    }
    const events =
      types?.length === 0 ? [] : await readEventsAfter(this.store.db, offset, BATCH, { types, upTo: head });
    return { consumer, events, upTo: events.length === BATCH ? events[events.length - 1].id : head };
  }

  /**
   * Every consumer's delivery in one transaction (a commit per consumer per pass was most of what
   * the outbox cost SQLite): those with events each inside a savepoint with its offset — a
   * consumer that fails leaves no trace and takes the same events again next pass, while the
   * others' effects and offsets commit — and those with none moved on in one statement, so the
   * next pass reads only new events. True when an offset moved.
   */
  private async deliver(deliveries: readonly Delivery[]): Promise<boolean> {
    if (deliveries.length === 0) return false;
    const working = deliveries.filter((d) => d.events.length > 0);
    const idle = deliveries.filter((d) => d.events.length === 0);
    let moved = false;
    try {
      // Derived work: committed without a flush of its own (docs/adr/0010-derived-commits.md).
      await transactionFlushedLater(this.store, async (trx) => {
        moved = idle.length > 0;
        await advanceConsumerOffsets(
          trx,
          idle.map((d) => [d.consumer.name, d.upTo]),
        );
        for (const [i, delivery] of working.entries()) {
          const savepoint = sql.raw(`consumer_${i}`);
          await sql`savepoint ${savepoint}`.execute(trx);
          try {
            await this.consume(delivery, trx);
            await sql`release savepoint ${savepoint}`.execute(trx);
            moved = true;
          } catch (error) {
            await sql`rollback to savepoint ${savepoint}`.execute(trx);
            await sql`release savepoint ${savepoint}`.execute(trx);
            this.report(error, `consumer ${delivery.consumer.name}`);
          }
        }
      });
    } catch (error) {
      this.report(error, 'consumers');
      return false;
    }
    return moved;
  }

  private async consume({ consumer, events, upTo }: Delivery, trx: Transaction<Database>): Promise<void> {
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
  }

  private report(error: unknown, where: string): void {
    if (this.options.onError) this.options.onError(error, where);
    else console.error(`[events] ${where}:`, error);
  }
}
