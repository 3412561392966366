import { Worker } from 'node:worker_threads';
import { planCity, plannedRegions } from '../../domain/registry/city-plan.ts';
import { DomainError } from '../../domain/errors.ts';
import {
  dropPeopleIndexes,
  openBulkWriter,
  recreatePeopleIndexes,
  withBulkLoadSettings,
} from '../../store/bulk.ts';
import { regionRow, type RowBatch } from '../../store/registry/rows.ts';
import {
  analyseRegistry,
  clearRegistry,
  registryCounts,
  registryIsEmpty,
  type RegistryCounts,
} from '../../store/registry/maintenance.ts';
import type { AppContext } from '../context.ts';
import { shanghaiDistricts } from './reference-data.ts';
import type { SeedWorkerData, SeedWorkerMessage } from './seed-worker.ts';

export interface SeedOptions {
  /** Population factor: 1 = Shanghai's 24.87 M residents. */
  scale: number;
  seed?: number;
  /** People per batch (one transaction on SQLite, one COPY per table on PostgreSQL). */
  batchPeople?: number;
  onProgress?: (progress: SeedProgress) => void;
}

export interface SeedProgress {
  phase: 'regions' | 'people' | 'indexes' | 'done';
  people: number;
  totalPeople: number;
}

export interface SeedSummary extends RegistryCounts {
  scale: number;
  seed: number;
  seconds: number;
  peoplePerSecond: number;
  /** Seconds spent in each step: planning, writing people and homes, indexing, finishing. */
  timings: { plan: number; load: number; indexes: number; finish: number };
}

/**
 * `cordon seed`: fills an empty registry with the synthetic city. Generation runs in a worker
 * thread and the main thread only writes (store/bulk.ts), with people's secondary indexes
 * dropped during the load and rebuilt once at the end. Deterministic for (scale, seed).
 * All or nothing in effect: on failure the partial city is removed again.
 */
export async function seedCity(ctx: AppContext, options: SeedOptions): Promise<SeedSummary> {
  const seed = options.seed ?? 1;
  if (!(options.scale > 0 && options.scale <= 4)) {
    throw new DomainError('validation_failed', 'scale must be above 0 and at most 4');
  }
  if (!(await registryIsEmpty(ctx.store.db))) {
    throw new DomainError(
      'conflict',
      'the registry already holds regions or people; seed only an empty database',
    );
  }
  const started = performance.now();
  const marks = [started];
  const plan = planCity(shanghaiDistricts(), { scale: options.scale, seed });
  marks.push(performance.now());
  const totalPeople = plan.city.population;
  const progress = (phase: SeedProgress['phase'], people: number) =>
    options.onProgress?.({ phase, people, totalPeople });
  const store = ctx.store;
  const writer = await openBulkWriter(store);
  try {
    await withBulkLoadSettings(store, async () => {
      progress('regions', 0);
      await writer.write({ regions: plannedRegions(plan).map(regionRow) });
      await dropPeopleIndexes(store);
      try {
        const data: SeedWorkerData = {
          plan,
          idHashKey: new Uint8Array(ctx.secrets.idHashKey),
          createdAt: ctx.clock.now(),
          batchPeople: options.batchPeople ?? (store.dialect === 'sqlite' ? 10_000 : 50_000),
          window: 3,
        };
        for await (const batch of batchesFromWorker(data)) {
          await writer.write(batch);
          progress('people', writer.written.people);
        }
      } finally {
        marks.push(performance.now());
        progress('indexes', writer.written.people);
        await recreatePeopleIndexes(store);
      }
    });
  } catch (error) {
    // Leave the registry as it was: empty, with its indexes (the rebuild may be what failed).
    await clearRegistry(store)
      .then(() => dropPeopleIndexes(store))
      .then(() => recreatePeopleIndexes(store))
      .catch(() => undefined);
    throw error;
  } finally {
    await writer.close();
  }
  marks.push(performance.now());
  await analyseRegistry(store);
  await ctx.regions.reload(store.db);
  progress('done', writer.written.people);
  const counts = await registryCounts(store.db, {
    people: writer.written.people,
    households: writer.written.households,
  });
  marks.push(performance.now());
  const seconds = (marks[4] - started) / 1000;
  const step = (i: number) => Math.round(marks[i + 1] - marks[i]) / 1000;
  const timings = { plan: step(0), load: step(1), indexes: step(2), finish: step(3) };
  return {
    scale: options.scale,
    seed,
    ...counts,
    seconds,
    peoplePerSecond: Math.round(counts.people / seconds),
    timings,
  };
}

/**
 * The worker's batches as an async stream; each batch is acknowledged after the caller has
 * written it (the worker keeps at most `window` batches in flight).
 */
async function* batchesFromWorker(data: SeedWorkerData): AsyncGenerator<RowBatch> {
  const worker = new Worker(new URL('./seed-worker.mjs', import.meta.url), {
    workerData: data,
    // The generator allocates millions of short-lived records: a young generation of 192 MB
    // (64 MB semi-spaces instead of V8's 16 MB) cuts the worker's scavenges; measured at scale
    // 0.1 its CPU fell by ~15–20 %, and the worker is what the load waits on.
    resourceLimits: { maxYoungGenerationSizeMb: 192 },
  });
  const queue: SeedWorkerMessage[] = [];
  const state: { failure: Error | null; exited: boolean } = { failure: null, exited: false };
  let notify: (() => void) | null = null;
  const wake = () => {
    notify?.();
    notify = null;
  };
  worker.on('message', (message: SeedWorkerMessage) => {
    queue.push(message);
    wake();
  });
  worker.on('error', (error) => {
    state.failure = error;
    wake();
  });
  worker.on('exit', (code) => {
    state.exited = true;
    if (code !== 0 && !state.failure) {
      state.failure = new Error(`the seeding worker stopped with code ${code}`);
    }
    wake();
  });
  try {
    for (;;) {
      const message = queue.shift();
      if (message?.type === 'done') return;
      if (message) {
        yield message.batch;
        worker.postMessage('ack');
        continue;
      }
      if (state.failure) throw state.failure;
      if (state.exited) throw new Error('the seeding worker stopped before the city was complete');
      await new Promise<void>((resolve) => (notify = resolve));
    }
  } finally {
    await worker.terminate();
  }
}
