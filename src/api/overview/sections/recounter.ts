import { Worker } from 'node:worker_threads';
import type { AppContext } from '../../../app/context.ts';
import type { MeasureKey, SectionKey } from '../contract.ts';
import type { OverviewArea, SectionResult, SectionSource } from '../area.ts';

/**
 * Where the overview's sections are counted. On SQLite queries run synchronously on the calling
 * thread, so a running server (started with startServer: `cordon serve`, `npm start`, the
 * simulator) counts them in worker threads with their own read connections: one lane for the
 * heavy sections (counts over millions of rows, tens of seconds at 25 M residents) and one for
 * the light ones, which are light per row but still read hundreds of thousands of rows at the
 * peak (the day's transfer orders, contacts in quarantine: 0.5–2 s each at scale 1) — on the
 * request thread they held every request for as long, and behind the heavy lane a light recount
 * after an event would wait for a whole round's coverage. Everywhere else — PostgreSQL, whose
 * queries do not block the thread, and a context without a server (tests, the CLI) — and
 * whenever a worker is unavailable, sections are counted in place.
 */
export type RecountLane = 'heavy' | 'light';

export interface RecountRequest {
  id: number;
  key: SectionKey;
  regionId: number;
  now: number;
}

export type RecountReply =
  | {
      id: number;
      ok: true;
      data: unknown;
      measures: [string, [number, number][]][];
    }
  | { id: number; ok: false; message: string };

interface RecountWorker {
  worker: Worker;
  waiting: Map<number, { resolve(reply: RecountReply): void }>;
  ready: Promise<void>;
  failed: boolean;
}

const workers = new WeakMap<object, Record<RecountLane, RecountWorker>>();
let nextId = 1;

function startWorker(ctx: AppContext): RecountWorker {
  const worker = new Worker(new URL('./recount-worker.mjs', import.meta.url), {
    workerData: { config: ctx.config },
  });
  const slot: RecountWorker = { worker, waiting: new Map(), ready: Promise.resolve(), failed: false };
  slot.ready = new Promise<void>((resolve) => {
    worker.on('message', (message: RecountReply | { ready: true }) => {
      if ('ready' in message) {
        resolve();
        return;
      }
      const waiting = slot.waiting.get(message.id);
      slot.waiting.delete(message.id);
      waiting?.resolve(message);
    });
  });
  const fail = (message: string) => {
    slot.failed = true;
    for (const waiting of slot.waiting.values()) waiting.resolve({ id: 0, ok: false, message });
    slot.waiting.clear();
  };
  worker.on('error', (error) => fail(`recount worker failed: ${error.message}`));
  worker.on('exit', () => fail('recount worker stopped'));
  // An idle worker must not keep a finished process alive.
  worker.unref();
  return slot;
}

/**
 * A live service of the server (registered in app/command/register.ts): on SQLite, the worker runs
 * while the server does. `CORDON_OVERVIEW_WORKER=off` counts in place.
 */
export function startRecountWorker(ctx: AppContext): () => Promise<void> {
  if (ctx.store.dialect !== 'sqlite' || process.env.CORDON_OVERVIEW_WORKER === 'off') {
    return async () => undefined;
  }
  const lanes = { heavy: startWorker(ctx), light: startWorker(ctx) };
  workers.set(ctx.store, lanes);
  return async () => {
    workers.delete(ctx.store);
    await Promise.all([lanes.heavy.worker.terminate(), lanes.light.worker.terminate()]);
  };
}

function fromReply<K extends SectionKey>(reply: Extract<RecountReply, { ok: true }>): SectionResult<K> {
  return {
    data: reply.data as SectionResult<K>['data'],
    measures: Object.fromEntries(reply.measures.map(([key, values]) => [key, new Map(values)])) as Partial<
      Record<MeasureKey, Map<number, number>>
    >,
  };
}

/**
 * Counts a section for an area: in the server's recount worker of that lane when there is one,
 * else in place.
 */
export async function recount<K extends SectionKey>(
  ctx: AppContext,
  source: SectionSource<K>,
  area: OverviewArea,
  lane: RecountLane = 'heavy',
): Promise<SectionResult<K>> {
  const slot = workers.get(ctx.store)?.[lane];
  if (!slot || slot.failed) return source.compute(ctx, area);
  await slot.ready;
  const id = nextId++;
  const reply = await new Promise<RecountReply>((resolve) => {
    slot.waiting.set(id, { resolve });
    const request: RecountRequest = { id, key: source.key, regionId: area.region.id, now: area.now };
    slot.worker.postMessage(request);
  });
  if (reply.ok) return fromReply<K>(reply);
  // The worker could not count (it stopped, or the query failed there): count in place.
  return source.compute(ctx, area);
}

/** Whether a lane's sections are counted off the request thread right now (for tests and diagnostics). */
export function hasRecountWorker(ctx: AppContext, lane: RecountLane = 'heavy'): boolean {
  const slot = workers.get(ctx.store)?.[lane];
  return slot != null && !slot.failed;
}
