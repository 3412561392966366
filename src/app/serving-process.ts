import { spawn, type ChildProcess } from 'node:child_process';

/** A server in a child process, once it has said where it serves. */
export interface ServingProcess {
  url: string;
  child: ChildProcess;
  /** Resolves when the process has exited (after a kill or a stop). */
  exited: Promise<number | null>;
  /** The tail of what it wrote to stderr. */
  stderrTail(): string;
  kill(signal: NodeJS.Signals): void;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

export interface ServingProcessOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** 'pipe' keeps a pipe open to the child (a server started with --with-parent exits when it closes). */
  stdin?: 'ignore' | 'pipe';
  /** Sees each chunk of the child's stderr as it comes. */
  onStderr?(chunk: Buffer): void;
  timeoutMs?: number;
}

/**
 * Runs `node <args>` and resolves once its stdout says "serving http://…" (what `cordon serve`
 * and the benchmarks' servers print), with the URL; rejects, with the tail of its stderr, if it
 * exits or stays silent first. Used by `cordon simulate` and the benchmarks that drive a real
 * server process.
 */
export async function startServingProcess(
  args: readonly string[],
  options: ServingProcessOptions = {},
): Promise<ServingProcess> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const child = spawn(process.execPath, [...args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    options.onStderr?.(d);
    stderr = (stderr + d.toString()).slice(-8000);
  });
  let stdout = '';
  const collect = (d: Buffer) => {
    // Keep only the tail: request logs would otherwise accumulate for the whole run.
    stdout = (stdout + d.toString()).slice(-8000);
  };
  child.stdout!.on('data', collect);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start in ${timeoutMs} ms:\n${stderr}`));
    }, timeoutMs);
    const look = () => {
      const match = /serving (http:\/\/\S+)/.exec(stdout);
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.off('data', look);
      resolve(match[1]);
    };
    child.stdout!.on('data', look);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before it served:\n${stderr}`));
    });
  });
  return {
    url,
    child,
    exited,
    stderrTail: () => stderr,
    kill: (signal) => child.kill(signal),
    async stop() {
      if (child.exitCode != null || child.signalCode != null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
