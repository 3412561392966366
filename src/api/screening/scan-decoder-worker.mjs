// Entry point of a scan decoder worker thread. Worker threads do not inherit the main thread's
// TypeScript loader, so register tsx here before loading the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./scan-decoder-worker.ts');
