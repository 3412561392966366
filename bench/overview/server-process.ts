import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServingProcess } from '../../src/app/serving-process.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));

export interface BenchServer {
  url: string;
  stop(): Promise<void>;
}

/** Starts bench/overview/server.ts on a data directory with its clock at `now`; resolves when it serves. */
export async function startBenchServer(
  dataDir: string,
  now: number,
  timeoutMs: number,
): Promise<BenchServer> {
  return startServingProcess(['--import', 'tsx', path.join(HERE, 'server.ts'), dataDir, String(now)], {
    timeoutMs,
  });
}
