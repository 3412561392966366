import { parentPort, workerData } from 'node:worker_threads';
import { createContext } from '../../../app/bootstrap.ts';
import { revalidateRuleSetCache } from '../../../app/kernel/rule-sets.ts';
import { secretsFromMaster } from '../../../app/secrets.ts';
import type { CordonConfig } from '../../../config/config.ts';
import { ManualClock } from '../../../domain/time/clock.ts';
import { areaOf } from '../area.ts';
import type { SectionKey } from '../contract.ts';
import { sectionSources } from './sources.ts';
import type { RecountReply, RecountRequest } from './recounter.ts';

/**
 * The overview's heavy recounts, on a connection of their own in a thread of their own: SQLite
 * queries run synchronously, so a count over millions of rows on the request thread would stall
 * every request for its length. WAL mode lets this reader run beside the server's writer. The
 * context is read-only in use (no dispatcher started, no migration); nothing personal is read
 * or returned — counts only.
 */
const { config } = workerData as { config: CordonConfig };
const clock = new ManualClock(Date.now());
const ctx = await createContext({
  config,
  clock,
  // Sections never sign nor hash: the worker needs no deployment secret.
  secrets: secretsFromMaster('overview-recount-worker'),
  readOnly: true,
});
// Regions change only through imports: the directory is reloaded now and then, not per count.
const REGIONS_RELOAD_MS = 10 * 60_000;
let regionsLoadedAt = Date.now();

parentPort!.on('message', (request: RecountRequest) => {
  void (async () => {
    try {
      if (Date.now() - regionsLoadedAt > REGIONS_RELOAD_MS) {
        await ctx.regions.reload(ctx.store.db);
        regionsLoadedAt = Date.now();
      }
      const region = ctx.regions.get(request.regionId);
      if (!region) throw new Error(`region ${request.regionId} is not in the directory`);
      clock.set(request.now);
      // This thread hears no events: a rule set activated since the last count is read again here.
      await revalidateRuleSetCache(ctx);
      const source = sectionSources[request.key as SectionKey];
      const result = await source.compute(ctx, areaOf(ctx, region, request.now));
      const reply: RecountReply = {
        id: request.id,
        ok: true,
        data: result.data,
        measures: Object.entries(result.measures ?? {}).map(([key, values]) => [key, [...values]]),
      };
      parentPort!.postMessage(reply);
    } catch (error) {
      parentPort!.postMessage({
        id: request.id,
        ok: false,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  })();
});
parentPort!.postMessage({ ready: true });
