import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServingProcess } from '../../src/app/serving-process.ts';

/**
 * The real server as its own process (`cordon serve --port 0`), as a deployment runs it: the
 * ingest bench drives it over loopback HTTP, and the crash test kills it with SIGKILL.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Resolves when the process has exited (after a kill or a stop). */
  exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
  stop(): Promise<void>;
}

export async function startServerProcess(
  env: Record<string, string | undefined>,
  timeoutMs = 60_000,
): Promise<ServerProcess> {
  // CORDON_SERVER_NODE_ARGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) profiles the server.
  const nodeArgs = (process.env.CORDON_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const server = await startServingProcess(
    [...nodeArgs, path.join(ROOT, 'bin/cordon.js'), 'serve', '--host', '127.0.0.1', '--port', '0'],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
      timeoutMs,
      onStderr: (chunk) => {
        if (process.env.CORDON_INGEST_TRACE === '1') process.stderr.write(chunk);
      },
    },
  );
  let stopping = false;
  void server.exited.then((code) => {
    if (!stopping && server.child.signalCode !== 'SIGKILL') {
      console.error(`[server] exited with ${code ?? server.child.signalCode}:\n${server.stderrTail()}`);
    }
  });
  return {
    ...server,
    async stop() {
      stopping = true;
      await server.stop();
    },
  };
}
