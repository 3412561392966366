import fs from 'node:fs';
import path from 'node:path';
import type { Rolldown } from 'vite';
import { WEB_PATHS } from './paths.ts';

export type WebPaths = typeof WEB_PATHS;

/** Written into the build: every source file that went into it, so freshness can be checked exactly. */
const INPUTS_FILE = '.inputs.json';
/** A lock older than this belongs to a build that died; builds take seconds. */
const STALE_LOCK_MS = 5 * 60_000;
const LOCK_POLL_MS = 200;

function mtime(file: string): number {
  return fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? Number.POSITIVE_INFINITY;
}

function newestUnder(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    // The build output, its lock and in-progress builds are not sources.
    if (entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestUnder(full) : mtime(full));
  }
  return newest;
}

/**
 * The built page is current when it exists and is newer than everything it was made from: the
 * src/web tree (which catches new files), the files outside it that the last build imported
 * (the overview contract, domain constants), the Vite config and the lock file (dependencies).
 * A listed input that has disappeared counts as changed.
 */
export function isWebBuildCurrent(paths: WebPaths = WEB_PATHS): boolean {
  const built = mtime(path.join(paths.dist, 'index.html'));
  if (!Number.isFinite(built)) return false;
  let inputs: string[] = [];
  try {
    inputs = JSON.parse(fs.readFileSync(path.join(paths.dist, INPUTS_FILE), 'utf8')) as string[];
  } catch {
    return false;
  }
  const lockFile = path.join(paths.repoRoot, 'package-lock.json');
  const sources = [
    newestUnder(paths.source),
    mtime(paths.config),
    fs.existsSync(lockFile) ? mtime(lockFile) : 0,
  ];
  for (const input of inputs) sources.push(mtime(path.join(paths.repoRoot, input)));
  return sources.every((t) => t <= built);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One build at a time across processes (parallel test workers, two servers): a lock directory. */
async function withBuildLock<T>(paths: WebPaths, work: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      fs.mkdirSync(paths.lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (Date.now() - mtime(paths.lock) > STALE_LOCK_MS) {
        fs.rmSync(paths.lock, { recursive: true, force: true });
      } else await sleep(LOCK_POLL_MS);
    }
  }
  try {
    return await work();
  } finally {
    fs.rmSync(paths.lock, { recursive: true, force: true });
  }
}

/** Repository-relative source files of the bundle (not node_modules, not virtual modules). */
function bundleInputs(output: Rolldown.RolldownOutput, repoRoot: string): string[] {
  const files = new Set<string>();
  for (const chunk of output.output) {
    if (chunk.type !== 'chunk') continue;
    for (const id of chunk.moduleIds) {
      if (!path.isAbsolute(id) || id.includes(`${path.sep}node_modules${path.sep}`)) continue;
      files.add(path.relative(repoRoot, id.split('?')[0]));
    }
  }
  return [...files].sort();
}

/**
 * Builds the web app with Vite when src/web/dist is missing or older than its sources, so that
 * `npm ci && npm start` serves the dashboard without a separate build step. The build goes to a
 * temporary folder that replaces dist only when complete: a server never serves half a build.
 * Returns whether it built.
 */
export async function ensureWebBuilt(
  options: { log?: (message: string) => void; paths?: WebPaths } = {},
): Promise<boolean> {
  const paths = options.paths ?? WEB_PATHS;
  if (isWebBuildCurrent(paths)) return false;
  return withBuildLock(paths, async () => {
    // Another process may have built it while this one waited for the lock.
    if (isWebBuildCurrent(paths)) return false;
    const started = Date.now();
    options.log?.('building the web dashboard (src/web → src/web/dist)…');
    // Imported here: a server whose page is already built never loads Vite.
    const { build } = await import('vite');
    const temp = path.join(paths.source, `.dist-${process.pid}-${Date.now()}`);
    try {
      const result = await build({
        configFile: paths.config,
        logLevel: 'warn',
        build: { outDir: temp, emptyOutDir: true },
      });
      const output = (Array.isArray(result) ? result[0] : result) as Rolldown.RolldownOutput;
      fs.writeFileSync(
        path.join(temp, INPUTS_FILE),
        JSON.stringify(bundleInputs(output, paths.repoRoot), null, 1),
      );
      const old = `${paths.dist}.old-${process.pid}`;
      if (fs.existsSync(paths.dist)) fs.renameSync(paths.dist, old);
      fs.renameSync(temp, paths.dist);
      fs.rmSync(old, { recursive: true, force: true });
    } finally {
      fs.rmSync(temp, { recursive: true, force: true });
    }
    options.log?.(`web dashboard built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return true;
  });
}
