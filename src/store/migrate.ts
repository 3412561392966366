import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Store } from './database.ts';
import { foundationMigration } from './migrations/0001_foundation.ts';

/**
 * The versioned migrations, in order. Each capability appends its own file; names sort by their
 * number prefix. One list for both dialects: a migration receives the dialect to print its DDL.
 */
function migrationList(store: Store): Record<string, Migration> {
  return {
    '0001_foundation': foundationMigration(store.dialect),
  };
}

export async function migrateToLatest(store: Store): Promise<string[]> {
  const provider: MigrationProvider = { getMigrations: async () => migrationList(store) };
  const migrator = new Migrator({ db: store.db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
