import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(HERE, 'server.ts'), dataDir, String(now)],
    {
      env: process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(
      () => reject(new Error(`server did not start in ${timeoutMs} ms:\n${stderr}`)),
      timeoutMs,
    );
    child.stdout!.on('data', (d: Buffer) => {
      buffer = (buffer + d.toString()).slice(-4000);
      const match = /serving (http:\/\/\S+)/.exec(buffer);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before it served:\n${stderr}`));
    });
  });
  return {
    url,
    async stop() {
      if (child.exitCode != null || child.signalCode != null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
