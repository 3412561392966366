import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
  const child = spawn(
    process.execPath,
    [...nodeArgs, path.join(ROOT, 'bin/cordon.js'), 'serve', '--host', '127.0.0.1', '--port', '0'],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    if (process.env.CORDON_INGEST_TRACE === '1') process.stderr.write(d);
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(
      () => reject(new Error(`server did not start in ${timeoutMs} ms:\n${stderr}`)),
      timeoutMs,
    );
    child.stdout!.on('data', (d: Buffer) => {
      buffer += d.toString();
      const match = /serving (http:\/\/[^\s]+)/.exec(buffer);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
      // Keep only the tail: request logs would otherwise accumulate for the whole run.
      if (buffer.length > 8000) buffer = buffer.slice(-2000);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before it served:\n${stderr}`));
    });
  });
  let stopping = false;
  void exited.then((code) => {
    if (!stopping && child.signalCode !== 'SIGKILL') {
      console.error(`[server] exited with ${code ?? child.signalCode}:\n${stderr}`);
    }
  });
  return {
    url,
    child,
    exited,
    kill: (signal) => child.kill(signal),
    async stop() {
      stopping = true;
      if (child.exitCode != null || child.signalCode != null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
