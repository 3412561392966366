import type { CordonEvent } from '../domain/kernel/events.ts';
import type { Store } from '../store/database.ts';
import { readEventsAfter } from '../store/outbox.ts';

/** The events after `from` up to `to`, all types, in delivery order. */
export interface EventWindow {
  from: number;
  to: number;
  events: readonly CordonEvent[];
}

/**
 * The outbox's delivered-but-not-yet-consumed stretch, kept in memory across the dispatcher's
 * passes so that each event is read and parsed once: every pass it drops what every reader has
 * passed and reads only what was committed since. Consumers mostly stand at the same offset;
 * reading the outbox once per consumer (each scanning the same rows for its types), or the same
 * stretch again per pass while the slowest consumer takes it a batch at a time, cost more than
 * the consumers' own work at the peak of a simulated wave.
 *
 * Sound because the stretch up to the head never changes once seen: on SQLite events are
 * numbered as written under the one write lock, on PostgreSQL by one sequencer transaction at a
 * time (store/outbox.ts), so every event numbered below a visible one is visible too.
 */
export class EventWindowBuffer {
  private events: CordonEvent[] = [];
  private from = 0;
  private to = 0;

  constructor(
    private readonly store: Store,
    /** At most this many events held (readers further behind read for themselves). */
    private readonly capacity: number,
  ) {}

  /** The window from `from` (the slowest reader's offset) towards `head`. */
  async advance(from: number, head: number): Promise<EventWindow> {
    if (from < this.from || from > this.to) {
      this.events = [];
      this.from = this.to = from;
    } else if (from > this.from) {
      this.events = this.events.slice(indexAfter(this.events, from));
      this.from = from;
    }
    const room = this.capacity - this.events.length;
    if (this.to < head && room > 0) {
      const fresh = await readEventsAfter(this.store.db, this.to, room, { upTo: head });
      for (const event of fresh) this.events.push(event);
      this.to = fresh.length === room ? fresh[fresh.length - 1].id : head;
    }
    return { from: this.from, to: this.to, events: this.events };
  }
}

/** The position of the first event numbered above `id` (events.length when none is). */
export function indexAfter(events: readonly CordonEvent[], id: number): number {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (events[middle].id <= id) low = middle + 1;
    else high = middle;
  }
  return low;
}
