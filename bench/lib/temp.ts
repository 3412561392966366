import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const PREFIX = 'cordon-bench-';
const OWNER = 'owner.pid';

/**
 * A temporary data directory for one run — never ./data. Removed when the process exits unless
 * CORDON_BENCH_KEEP=1 (to inspect the database afterwards). A run stopped by Ctrl-C or killed
 * leaves its directory behind — at scale 1 tens of GB — so each new run first removes the
 * directories whose owning process is gone. (Handling SIGINT to clean up at once would make
 * Ctrl-C wait for the synchronous write loops to yield, seconds later.)
 */
export function benchTempDir(name: string): string {
  removeOrphans();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${PREFIX}${name}-`));
  fs.writeFileSync(path.join(dir, OWNER), String(process.pid));
  if (process.env.CORDON_BENCH_KEEP !== '1') {
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  } else {
    fs.rmSync(path.join(dir, OWNER));
    console.error(`keeping ${dir}`);
  }
  return dir;
}

function removeOrphans(): void {
  for (const entry of fs.readdirSync(os.tmpdir())) {
    if (!entry.startsWith(PREFIX)) continue;
    const dir = path.join(os.tmpdir(), entry);
    let owner: number;
    try {
      owner = Number(fs.readFileSync(path.join(dir, OWNER), 'utf8'));
    } catch {
      continue; // kept on purpose (CORDON_BENCH_KEEP), or not ours
    }
    if (Number.isInteger(owner) && owner > 0 && !isRunning(owner)) {
      fs.rmSync(dir, { recursive: true, force: true });
      console.error(`removed ${dir}, left by a run that was killed`);
    }
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
