import type { StatusInputs } from '../../domain/status/inputs.ts';
import type { StatusReader } from '../../store/status/reader.ts';

/**
 * A small cache of people's status inputs (not of statuses: the colour is computed from the
 * inputs and the clock at every read, so deadlines passing need no invalidation).
 *
 * It is kept exact by the outbox, not by time: every kernel change to episodes, test orders,
 * exemptions or arrivals commits together with its event, which carries the person. Before a
 * read the cache asks for the newest event id; if events were committed since it last looked, it
 * reads just their people and drops them. Only where ids become visible in order (SQLite);
 * elsewhere every read goes to the database.
 *
 * How often it asks: once per turn of the event loop, and again whenever this process has
 * committed a transaction since it last asked. So a read sees every change this process committed
 * before it, and every change another process committed before the current turn began — before
 * the turn's requests were read from their sockets, so before anything a client sent after that
 * commit's answer. The database question (`pragma data_version`, then `max(id)` only if it
 * changed) cost ~6 % of a look-up's CPU when asked at every read.
 */
const MAX_ENTRIES = 200_000;
/** Events that give a person an exemption or an arrival. */
const CORRECTION_EVENTS = new Set(['status.exemption.recorded', 'status.arrival.recorded']);
/** Catching up on more events than this at once is slower than starting over. */
const MAX_TAIL = 20_000;

export class StatusInputsCache {
  private readonly entries = new Map<number, StatusInputs>();
  private seen = -1;
  private version = Number.NaN;
  /** Asked the database in this turn of the event loop (reset by setImmediate). */
  private askedThisTurn = false;
  private commitsWhenAsked = -1;
  /** People with an exemption or an arrival on record; everyone else is read without those tables. */
  private corrected: Set<number> | null = null;
  private latestNow = -Infinity;
  /** Look-ups answered from memory, and from the database (for benchmarks and operators). */
  hits = 0;
  misses = 0;

  constructor(private readonly reader: StatusReader) {}

  async inputs(personId: number, now: number, arrivalsSince: number): Promise<StatusInputs> {
    const outbox = this.reader.outbox;
    if (!outbox) return this.reader.inputs(personId, now, arrivalsSince);
    // Rows are read unfiltered by start (only those already over are left out), and the status
    // computation filters them by the clock: an entry stays right as time moves on. A clock set
    // back (tests, simulations) could need rows already left out: start over.
    if (now < this.latestNow) this.entries.clear();
    this.latestNow = now;
    this.catchUp(outbox);
    const cached = this.entries.get(personId);
    if (cached) {
      this.hits++;
      return cached;
    }
    this.misses++;
    const fresh = await this.reader.inputs(personId, now, arrivalsSince, this.corrected!.has(personId));
    if (this.entries.size >= MAX_ENTRIES) this.evict();
    this.entries.set(personId, fresh);
    return fresh;
  }

  /** Drops the people of events committed since the last look (all entries if too many). */
  private catchUp(outbox: NonNullable<StatusReader['outbox']>): void {
    const commits = outbox.commitsInProcess();
    if (this.askedThisTurn && commits === this.commitsWhenAsked) return;
    this.commitsWhenAsked = commits;
    if (!this.askedThisTurn) {
      this.askedThisTurn = true;
      setImmediate(() => {
        this.askedThisTurn = false;
      });
    }
    // Nothing committed anywhere since the last look: nothing to catch up on.
    const version = outbox.dataVersion();
    if (version === this.version && this.seen >= 0) return;
    this.version = version;
    const head = outbox.head();
    if (head === this.seen) return;
    if (this.seen < 0 || head - this.seen > MAX_TAIL || head < this.seen) {
      this.entries.clear();
      this.corrected = new Set(outbox.peopleWithCorrections());
    } else {
      for (const [personId, type] of outbox.changesAfter(this.seen, head)) {
        if (personId == null) continue;
        this.entries.delete(personId);
        if (CORRECTION_EVENTS.has(type)) this.corrected!.add(personId);
      }
    }
    this.seen = head;
  }

  /** Oldest first (a Map iterates in insertion order): drop a tenth. */
  private evict(): void {
    let n = Math.ceil(MAX_ENTRIES / 10);
    for (const key of this.entries.keys()) {
      this.entries.delete(key);
      if (--n === 0) break;
    }
  }
}
