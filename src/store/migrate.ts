import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Store } from './database.ts';
import { foundationMigration } from './migrations/0001_foundation.ts';
import { accessMigration } from './migrations/0002_access.ts';
import { kernelMigration } from './migrations/0003_kernel.ts';
import { screeningMigration } from './migrations/0010_screening.ts';
import { casesMigration } from './migrations/0020_cases.ts';
import { zonesStatusMigration } from './migrations/0030_zones_status.ts';
import { tracingMigration } from './migrations/0040_tracing.ts';
import { commandMigration } from './migrations/0050_command.ts';
import { overdueOrdersMigration } from './migrations/0060_overdue_orders.ts';
import { transferStepIndexesMigration } from './migrations/0070_transfer_step_indexes.ts';
import { peopleIdHashBytesMigration } from './migrations/0080_people_id_hash_bytes.ts';
import { monitoringIndexesMigration } from './migrations/0090_monitoring_indexes.ts';
import { dropDuplicateOverdueIndexMigration } from './migrations/0091_drop_duplicate_overdue_index.ts';
import { tubesByIdMigration } from './migrations/0092_tubes_by_id.ts';
import { byIdIndexesMigration } from './migrations/0093_by_id_indexes.ts';

/**
 * The versioned migrations, in order. Each capability appends its own file; names sort by their
 * number prefix. One list for both dialects: a migration receives the dialect to print its DDL.
 */
function migrationList(store: Store): Record<string, Migration> {
  return {
    '0001_foundation': foundationMigration(store.dialect),
    '0002_access': accessMigration(store.dialect),
    '0003_kernel': kernelMigration(store.dialect),
    '0010_screening': screeningMigration(store.dialect),
    '0020_cases': casesMigration(store.dialect),
    '0030_zones_status': zonesStatusMigration(store.dialect),
    '0040_tracing': tracingMigration(store.dialect),
    '0050_command': commandMigration(store.dialect),
    '0060_overdue_orders': overdueOrdersMigration(),
    '0070_transfer_step_indexes': transferStepIndexesMigration(),
    '0080_people_id_hash_bytes': peopleIdHashBytesMigration(store.dialect),
    '0090_monitoring_indexes': monitoringIndexesMigration(),
    '0091_drop_duplicate_overdue_index': dropDuplicateOverdueIndexMigration(),
    '0092_tubes_by_id': tubesByIdMigration(store.dialect),
    '0093_by_id_indexes': byIdIndexesMigration(store.dialect),
  };
}

export async function migrateToLatest(store: Store): Promise<string[]> {
  const provider: MigrationProvider = { getMigrations: async () => migrationList(store) };
  // Kysely looks for its bookkeeping tables across schemas unless told which one is ours.
  const migrator = new Migrator({
    db: store.db,
    provider,
    ...(store.pgSchema ? { migrationTableSchema: store.pgSchema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
