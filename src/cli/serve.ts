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
    .action(async (options: { host?: string; port?: string }) => {
      const config = loadConfig();
      const ctx = await createContext({ config });
      const server = await startServer(ctx, {
        host: options.host ?? config.host,
        port: options.port ? Number(options.port) : config.port,
        logger: true,
      });
      console.log(`Cordon is serving ${server.url}  (API reference: ${server.url}/api/docs)`);
      const shutdown = () => {
        void server.stop().then(() => process.exit(0));
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    });
}
