// Entry point of the overview's recount worker thread. Worker threads do not inherit the main
// thread's TypeScript loader, so register tsx here before loading the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./recount-worker.ts');
