import type { Transaction } from 'kysely';
import type { CordonConfig } from '../config/config.ts';
import type { NewEvent } from '../domain/kernel/events.ts';
import type { Clock } from '../domain/time/clock.ts';
import type { EventDispatcher } from '../events/dispatcher.ts';
import type { Store } from '../store/database.ts';
import { transactionSyncedOffThread } from '../store/off-thread-sync.ts';
import { appendEvents } from '../store/outbox.ts';
import type { Database } from '../store/schema.ts';
import type { RegionDirectory } from './registry/region-directory.ts';
import type { Secrets } from './secrets.ts';

/**
 * What a service needs, passed explicitly as the first argument (no DI framework). Built once
 * by the server or the CLI (app/bootstrap.ts).
 */
export interface AppContext {
  config: CordonConfig;
  store: Store;
  clock: Clock;
  /**
   * Real time, for what must not follow a simulated clock: login sessions expire in real hours
   * even while a drill jumps the clock forward by weeks.
   */
  wallClock: Clock;
  regions: RegionDirectory;
  events: EventDispatcher;
  secrets: Secrets;
}

/** A unit of work: the transaction plus the events it will publish on commit. */
export interface UnitOfWork {
  trx: Transaction<Database>;
  now: number;
  publish(event: NewEvent): void;
}

/**
 * Runs `work` in one transaction: state changes and their events commit together or not at all
 * (an event written in a rolled-back transaction is never delivered). Wakes the dispatcher after
 * commit. The promise resolves once the commit is on disk, but the disk flush runs off the event
 * loop (store/off-thread-sync.ts): other requests and consumers go on meanwhile, where a FULL
 * commit had held the whole server for its fsync on every write.
 */
export async function inTransaction<T>(ctx: AppContext, work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
  const result = await transactionSyncedOffThread(ctx.store, async (trx) => {
    const pending: NewEvent[] = [];
    const uow: UnitOfWork = {
      trx,
      now: ctx.clock.now(),
      publish(event) {
        pending.push({ ...event, regionIds: ctx.regions.expand(event.regionIds) });
      },
    };
    const value = await work(uow);
    await appendEvents(trx, pending);
    return { value, published: pending.length };
  });
  if (result.published > 0) ctx.events.wake();
  return result.value;
}
