/**
 * The overview bench's server, in a process of its own (the load generator must not share its
 * event loop): `node --import tsx bench/overview/server.ts <dataDir> <now>`. It is `cordon serve`
 * — the real API, event dispatcher and rule clock (startServer) — except that its clock starts at
 * the peak instant and runs from there: started on the machine's own clock it would first jump
 * four years on and mark every order of the wave overdue. Prints `serving <url>` when ready.
 */
import { createContext } from '../../src/app/bootstrap.ts';
import { secretsFromMaster } from '../../src/app/secrets.ts';
import { startServer } from '../../src/app/server-runtime.ts';
import { ControllableClock } from '../../src/domain/time/clock.ts';

const [dataDir, nowText] = process.argv.slice(2);
const clock = new ControllableClock();
clock.set(Number(nowText), 1);
const ctx = await createContext({
  config: {
    dataDir,
    databaseUrl: process.env.CORDON_DATABASE_URL || undefined,
    timeZone: 'Asia/Shanghai',
    ruleSet: 'shanghai-2022-05-16',
    host: '127.0.0.1',
    port: 0,
  },
  clock,
  secrets: secretsFromMaster(process.env.CORDON_BENCH_SECRET ?? 'cordon-bench-cache'),
  storeOptions: process.env.CORDON_BENCH_PG_SCHEMA ? { pgSchema: process.env.CORDON_BENCH_PG_SCHEMA } : {},
});
const server = await startServer(ctx, { host: '127.0.0.1', port: 0 });
console.log(`serving ${server.url}`);
process.once('SIGTERM', () => {
  void server.stop().then(() => process.exit(0));
});
