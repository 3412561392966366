import type { Command } from 'commander';
import { createContext } from '../app/bootstrap.ts';
import { startServer } from '../app/server-runtime.ts';
import { loadConfig } from '../config/config.ts';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('start the Cordon server on the configured database (no seeding)')
    .option('--host <host>', 'address to listen on', undefined)
    .option('--port <port>', 'port to listen on', undefined)
    .option('--quiet', 'log errors only, not every request')
    .option('--with-parent', 'stop when standard input closes (a server started by another command)')
    .action(async (options: { host?: string; port?: string; quiet?: boolean; withParent?: boolean }) => {
      const config = loadConfig();
      const ctx = await createContext({ config });
      const server = await startServer(ctx, {
        host: options.host ?? config.host,
        port: options.port ? Number(options.port) : config.port,
        logger: options.quiet ? 'error' : true,
      });
      console.log(`Cordon is serving ${server.url}  (API reference: ${server.url}/api/docs)`);
      let stopping = false;
      const shutdown = () => {
        if (stopping) return;
        stopping = true;
        void server.stop().then(() => process.exit(0));
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
      if (options.withParent) {
        process.stdin.once('close', shutdown);
        process.stdin.resume();
      }
    });
}
