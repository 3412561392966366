/**
 * The seeding worker thread: generates the synthetic city and hashes national ids while the
 * main thread writes, so generation and insertion overlap on two cores. Flow control: at most
 * `window` batches are in flight; the main thread acknowledges each batch once written, which
 * keeps memory bounded however fast the generator runs.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { seedBatches, type SeedStreamOptions } from './seed-stream.ts';

export interface SeedWorkerData extends SeedStreamOptions {
  window: number;
}

export type SeedWorkerMessage =
  { type: 'batch'; batch: import('../../store/registry/rows.ts').RowBatch } | { type: 'done' };

const port = parentPort!;
const data = workerData as SeedWorkerData;
let credits = data.window;
let wake: (() => void) | null = null;
port.on('message', (message) => {
  if (message === 'ack') {
    credits++;
    wake?.();
    wake = null;
  }
});

for (const batch of seedBatches(data)) {
  while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
  credits--;
  port.postMessage({ type: 'batch', batch } satisfies SeedWorkerMessage);
}
port.postMessage({ type: 'done' } satisfies SeedWorkerMessage);
