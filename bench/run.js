#!/usr/bin/env node
// `npm run bench -- NAME --scale S --seed N [options]`: runs bench/NAME.ts through tsx. Each
// benchmark exports `main(argv)` and prints one JSON line last (bench/lib/result.ts).
import fs from 'node:fs';
import { register } from 'tsx/esm/api';

register();
const [name, ...argv] = process.argv.slice(2);
const here = new URL('.', import.meta.url);
const available = fs
  .readdirSync(here)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3))
  .sort();
if (!name || name.startsWith('-') || !available.includes(name)) {
  console.error(
    `usage: npm run bench -- NAME --scale S --seed N [options]\nbenchmarks: ${available.join(', ')}`,
  );
  process.exit(2);
}
const bench = await import(new URL(`./${name}.ts`, here).href);
if (typeof bench.main !== 'function') {
  console.error(`bench/${name}.ts must export main(argv)`);
  process.exit(2);
}
try {
  await bench.main(argv);
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
}
