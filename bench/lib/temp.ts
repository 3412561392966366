import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A temporary data directory for one run — never ./data. Removed when the process exits unless
 * CORDON_BENCH_KEEP=1 (to inspect the database afterwards).
 */
export function benchTempDir(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cordon-bench-${name}-`));
  if (process.env.CORDON_BENCH_KEEP !== '1') {
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  } else {
    console.error(`keeping ${dir}`);
  }
  return dir;
}
