import type { AppContext } from '../../../app/context.ts';
import type { CordonEvent } from '../../../domain/kernel/events.ts';
import type { EventDispatcher } from '../../../events/dispatcher.ts';
import type { OverviewArea, SectionResult, SectionSource } from '../area.ts';
import type { SectionKey } from '../contract.ts';
import { recount, type RecountLane } from './recounter.ts';

/**
 * Section answers kept per region and refreshed by the event stream (ADR-style note in
 * docs/DASHBOARD.md, "Performance"). At 25 M residents several sections are counts over millions of
 * rows; computing them per request would make every open wall screen a full scan per refetch. So
 * each section's last answer for a region is kept until
 *  - an event that concerns the region (its `regionIds`, which hold every ancestor) and the
 *    section (its `changedBy` types) is delivered — then the next request waits for a fresh count,
 *    so a page that refetches because of an event always sees that event's effect; or
 *  - `maxAgeMs` of deployment time passes: figures that move with time alone (overdue orders,
 *    "today", episodes that end at their `until`) are then recounted in the background while the
 *    previous answer is served, up to STALE_FACTOR × maxAgeMs; older than that, a request waits.
 * A request never waits longer than RECOUNT_BUDGET_MS for a recount when an answer exists.
 * Events addressed only to the city concern every region; after clock.set and rules.activated
 * nothing kept is served at all.
 */
export interface Freshness {
  /** Event types that change the section: exact names, or prefixes ending in '.'. */
  changedBy: readonly string[];
  maxAgeMs: number;
  /**
   * For sections whose recount reads millions of rows at city scale: once there is an answer,
   * recount only in the background (one heavy recount at a time for the whole server) and at most
   * this often, however many events arrive — during a citywide round results are posted every
   * second, and back-to-back recounts would hold SQLite's one connection.
   */
  minRecountMs?: number;
}

/** Past maxAge × this, an answer is too old to serve even while a fresh one is counted. */
const STALE_FACTOR = 4;
/**
 * How long a request waits for a recount after an event before it takes the previous answer
 * instead (marked `refreshing`): the cheap sections recount well within it, so the page sees an
 * event's effect at once; the heavy ones (coverage, stages over millions of rows) never hold a
 * request for seconds.
 */
const RECOUNT_BUDGET_MS = 40;
/** Events after which nothing kept is worth showing: the next request of each area counts afresh. */
const RESET_TYPES = ['clock.set', 'rules.activated'];
const delay = (ms: number) => new Promise<null>((resolve) => setTimeout(() => resolve(null), ms));

/** Regions kept per context (a city has ~5,000 committees; each screen looks at a few). */
const MAX_REGIONS = 2000;

interface Entry {
  result: SectionResult<SectionKey>;
  /** Deployment clock when the count started. */
  at: number;
  stale: boolean;
}

interface Flight {
  version: number;
  promise: Promise<SectionResult<SectionKey>>;
}

interface RegionSlot {
  entries: Map<SectionKey, Entry>;
  versions: Map<SectionKey, number>;
  flights: Map<SectionKey, Flight>;
}

function matches(type: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => (p.endsWith('.') ? type.startsWith(p) : type === p));
}

class SectionCache {
  private readonly regions = new Map<number, RegionSlot>();
  private readonly freshness = new Map<SectionKey, Freshness>();
  /**
   * Background recounts run one at a time per lane: they must never crowd out the requests
   * themselves. The light sections' lane is apart from the heavy one, so a light recount never
   * waits for a heavy one (a whole round's coverage) to finish.
   */
  private readonly background: Record<RecountLane, Promise<unknown>> = {
    heavy: Promise.resolve(),
    light: Promise.resolve(),
  };

  constructor(
    events: EventDispatcher,
    private readonly cityId: () => number | undefined,
  ) {
    events.subscribe((event) => this.onEvent(event));
  }

  register(key: SectionKey, freshness: Freshness): void {
    this.freshness.set(key, freshness);
  }

  private slot(regionId: number): RegionSlot {
    let slot = this.regions.get(regionId);
    if (!slot) {
      if (this.regions.size >= MAX_REGIONS) {
        const oldest = this.regions.keys().next().value;
        if (oldest !== undefined) this.regions.delete(oldest);
      }
      slot = { entries: new Map(), versions: new Map(), flights: new Map() };
      this.regions.set(regionId, slot);
    }
    return slot;
  }

  private onEvent(event: CordonEvent): void {
    if (RESET_TYPES.includes(event.type)) {
      // The clock jumped or the rules changed: every kept answer is about another world.
      for (const slot of this.regions.values()) {
        for (const key of slot.entries.keys()) slot.versions.set(key, (slot.versions.get(key) ?? 0) + 1);
        slot.entries.clear();
      }
      return;
    }
    const city = this.cityId();
    const global = event.regionIds.every((id) => id === city);
    const targets = global ? [...this.regions.values()] : event.regionIds.map((id) => this.regions.get(id));
    for (const slot of targets) {
      if (!slot) continue;
      for (const [key, entry] of slot.entries) {
        const freshness = this.freshness.get(key);
        if (!freshness || !matches(event.type, freshness.changedBy)) continue;
        entry.stale = true;
        slot.versions.set(key, (slot.versions.get(key) ?? 0) + 1);
      }
    }
  }

  async get<K extends SectionKey>(
    source: SectionSource<K>,
    ctx: AppContext,
    area: OverviewArea,
  ): Promise<SectionResult<K>> {
    const slot = this.slot(area.region.id);
    const freshness = this.freshness.get(source.key)!;
    const entry = slot.entries.get(source.key);
    const age = area.now - (entry?.at ?? Number.NEGATIVE_INFINITY);
    const tooOld = !(age >= 0 && age < freshness.maxAgeMs * STALE_FACTOR);
    if (entry && !entry.stale && !tooOld) {
      if (age >= freshness.maxAgeMs) this.refreshInBackground(source, ctx, area);
      return entry.result as SectionResult<K>;
    }
    if (!entry) return this.count(source, ctx, area);
    if (freshness.minRecountMs !== undefined) {
      // Heavy: the kept answer (marked) while one background recount at a time catches up.
      if (age >= freshness.minRecountMs || age < 0) this.refreshInBackground(source, ctx, area);
      return { ...(entry.result as SectionResult<K>), refreshing: true };
    }
    // A recount that takes longer than the budget does not hold the request: the previous answer
    // goes out marked as being recounted, and the page asks again shortly (useOverview.ts).
    if (tooOld) return this.count(source, ctx, area);
    const fresh = this.count(source, ctx, area);
    const within = await Promise.race([fresh, delay(RECOUNT_BUDGET_MS)]);
    if (within) return within;
    fresh.catch(() => undefined);
    return { ...(entry.result as SectionResult<K>), refreshing: true };
  }

  private laneOf(key: SectionKey): RecountLane {
    return this.freshness.get(key)?.minRecountMs !== undefined ? 'heavy' : 'light';
  }

  /** Sections are counted off the request thread where the server runs its workers (recounter.ts). */
  private countFor<K extends SectionKey>(source: SectionSource<K>, ctx: AppContext, area: OverviewArea) {
    return recount(ctx, source, area, this.laneOf(source.key));
  }

  /** One count per region and section at a time; a request joins one that began after the last change. */
  private count<K extends SectionKey>(
    source: SectionSource<K>,
    ctx: AppContext,
    area: OverviewArea,
  ): Promise<SectionResult<K>> {
    const slot = this.slot(area.region.id);
    const version = slot.versions.get(source.key) ?? 0;
    const flight = slot.flights.get(source.key);
    if (flight && flight.version === version) return flight.promise as Promise<SectionResult<K>>;
    const promise = this.countFor(source, ctx, area).then((result) => {
      const current = slot.versions.get(source.key) ?? 0;
      slot.entries.set(source.key, {
        result: result as SectionResult<SectionKey>,
        at: area.now,
        stale: current !== version,
      });
      return result;
    });
    const mine: Flight = { version, promise: promise as Promise<SectionResult<SectionKey>> };
    slot.flights.set(source.key, mine);
    void promise.then(
      () => slot.flights.get(source.key) === mine && slot.flights.delete(source.key),
      () => slot.flights.get(source.key) === mine && slot.flights.delete(source.key),
    );
    return promise;
  }

  private refreshInBackground<K extends SectionKey>(
    source: SectionSource<K>,
    ctx: AppContext,
    area: OverviewArea,
  ): void {
    const slot = this.slot(area.region.id);
    if (slot.flights.has(source.key)) return;
    // Claim the slot now so concurrent requests do not queue a second recount behind this one.
    const version = slot.versions.get(source.key) ?? 0;
    let release!: (value: SectionResult<K>) => void;
    let fail!: (error: unknown) => void;
    const placeholder = new Promise<SectionResult<K>>((resolve, reject) => {
      release = resolve;
      fail = reject;
    });
    placeholder.catch(() => undefined);
    const mine: Flight = { version, promise: placeholder as Promise<SectionResult<SectionKey>> };
    slot.flights.set(source.key, mine);
    const run = async () => {
      try {
        const result = await this.countFor(source, ctx, area);
        const current = slot.versions.get(source.key) ?? 0;
        slot.entries.set(source.key, {
          result: result as SectionResult<SectionKey>,
          at: area.now,
          stale: current !== version,
        });
        release(result);
      } catch (error) {
        // The previous answer stays; the next request past the stale limit counts again and sees the error.
        fail(error);
      } finally {
        if (slot.flights.get(source.key) === mine) slot.flights.delete(source.key);
      }
    };
    const lane = this.laneOf(source.key);
    this.background[lane] = this.background[lane].then(run, run);
  }
}

const caches = new WeakMap<EventDispatcher, SectionCache>();

function cacheOf(ctx: AppContext): SectionCache {
  let cache = caches.get(ctx.events);
  if (!cache) {
    cache = new SectionCache(ctx.events, () => ctx.regions.city()?.id);
    caches.set(ctx.events, cache);
  }
  return cache;
}

/** A section source whose answers are kept per region by the rules above. */
export function cached<K extends SectionKey>(
  source: SectionSource<K>,
  freshness: Freshness,
): SectionSource<K> {
  return {
    key: source.key,
    async compute(ctx, area) {
      const cache = cacheOf(ctx);
      cache.register(source.key, freshness);
      return cache.get(source, ctx, area);
    },
  };
}
