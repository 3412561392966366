import type { CordonConfig } from '../config/config.ts';
import { ControllableClock, systemClock, type Clock } from '../domain/time/clock.ts';
import { EventDispatcher } from '../events/dispatcher.ts';
import { openStore, refreshPlannerStatistics, type OpenStoreOptions, type Store } from '../store/database.ts';
import { migrateToLatest } from '../store/migrate.ts';
import type { AppContext } from './context.ts';
import { RegionDirectory } from './registry/region-directory.ts';
import { loadSecrets, type Secrets } from './secrets.ts';
import { registerKernelConsumers } from './kernel/consumers.ts';

export interface ContextOptions {
  config: CordonConfig;
  clock?: Clock;
  wallClock?: Clock;
  store?: Store;
  storeOptions?: OpenStoreOptions;
  secrets?: Secrets;
  migrate?: boolean;
  /**
   * A reader beside the server's own context (the overview's recount thread): no migration, no
   * planner statistics, and on SQLite a query-only connection. Its `optimize` at open wrote
   * statistics and held the write lock just as the server's first requests wrote, and SQLite
   * answers a transaction that must wait for another connection's write with SQLITE_BUSY at once.
   */
  readOnly?: boolean;
}

/** Opens the database, migrates it, and builds the context services share. */
export async function createContext(options: ContextOptions): Promise<AppContext> {
  const { config } = options;
  const store =
    options.store ??
    (await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, ...options.storeOptions }));
  if (options.readOnly) {
    store.sqlite?.pragma('query_only = 1');
  } else {
    if (options.migrate !== false) await migrateToLatest(store);
    await refreshPlannerStatistics(store);
  }
  const ctx: AppContext = {
    config,
    store,
    clock: options.clock ?? new ControllableClock(),
    wallClock: options.wallClock ?? systemClock,
    regions: await RegionDirectory.load(store.db),
    events: new EventDispatcher(store),
    secrets: options.secrets ?? loadSecrets(config.dataDir),
  };
  registerKernelConsumers(ctx);
  return ctx;
}

const closed = new WeakSet<AppContext>();

/** Stops the context's consumers and closes its store; closing it again does nothing. */
export async function closeContext(ctx: AppContext): Promise<void> {
  if (closed.has(ctx)) return;
  closed.add(ctx);
  await ctx.events.stop();
  await ctx.store.close();
}
