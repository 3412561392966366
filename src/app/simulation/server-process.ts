import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServingProcess } from '../serving-process.ts';

const CORDON_BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/cordon.js');

export interface ServerProcess {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts `cordon serve` in its own process on a free loopback port, as a deployment runs it:
 * the simulated users then act on one core and the server on the other, instead of taking turns
 * on one event loop. `env` says which database and secrets it serves (by default this process's).
 * The server exits when this process does (its stdin closes), also after a crash or a kill; its
 * errors (it logs only those) go to this process's stderr.
 */
export async function startServerProcess(
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 60_000,
): Promise<ServerProcess> {
  let serving = false;
  const server = await startServingProcess(
    [CORDON_BIN, 'serve', '--host', '127.0.0.1', '--port', '0', '--quiet', '--with-parent'],
    { env, stdin: 'pipe', timeoutMs, onStderr: (chunk) => serving && process.stderr.write(chunk) },
  );
  serving = true;
  return server;
}
