import type { Command } from 'commander';
import { loadConfig } from '../config/config.ts';
import { openStore } from '../store/database.ts';
import { migrateToLatest } from '../store/migrate.ts';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('apply the database migrations (SQLite in CORDON_DATA_DIR, or CORDON_DATABASE_URL)')
    .action(async () => {
      const config = loadConfig();
      const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
      try {
        const applied = await migrateToLatest(store);
        console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
      } finally {
        await store.close();
      }
    });
}
