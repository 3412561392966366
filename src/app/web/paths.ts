import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Where the web app's sources, build config and build output live (vite.config.ts agrees). */
export const WEB_PATHS = {
  repoRoot,
  source: path.join(repoRoot, 'src/web'),
  dist: path.join(repoRoot, 'src/web/dist'),
  config: path.join(repoRoot, 'vite.config.ts'),
  lock: path.join(repoRoot, 'src/web/.build-lock'),
};
