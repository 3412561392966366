import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CORDON_BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/cordon.js');

export interface ServerProcess {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts `cordon serve` in its own process on a free loopback port, as a deployment runs it:
 * the simulated users then act on one core and the server on the other, instead of taking turns
 * on one event loop. `env` says which database and secrets it serves (by default this process's).
 * The server exits when this process does (its stdin closes), also after a crash or a kill.
 */
export async function startServerProcess(
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 60_000,
): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    [CORDON_BIN, 'serve', '--host', '127.0.0.1', '--port', '0', '--quiet', '--with-parent'],
    { env, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-8000);
  });
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`cordon serve did not start in ${timeoutMs} ms:\n${stderr}`));
    }, timeoutMs);
    child.stdout!.on('data', (d: Buffer) => {
      stdout = (stdout + d.toString()).slice(-8000);
      const match = /serving (http:\/\/\S+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`cordon serve exited with ${code} before it served:\n${stderr}`));
    });
  });
  // Its later output (errors only, with --quiet) goes to this process's stderr.
  child.stdout!.resume();
  child.stderr!.removeAllListeners('data');
  child.stderr!.pipe(process.stderr);
  return {
    url,
    async stop() {
      if (child.exitCode != null || child.signalCode != null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
