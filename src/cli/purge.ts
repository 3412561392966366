import type { Command } from 'commander';
import { purgeExpiredPeople } from '../app/access/purge.ts';
import { DEFAULT_RETENTION_DAYS } from '../domain/access/retention.ts';
import { withCliContext } from './context.ts';

export function registerPurge(program: Command): void {
  program
    .command('purge')
    .description(
      'remove personal data past the retention period (CORDON_RETENTION_DAYS, default 90); keeps aggregates',
    )
    .option('--dry-run', 'count who would be purged, change nothing')
    .action(async (options: { dryRun?: boolean }) => {
      await withCliContext(async (ctx) => {
        const retentionDays = ctx.config.retentionDays ?? DEFAULT_RETENTION_DAYS;
        const result = await purgeExpiredPeople(ctx, { retentionDays, dryRun: !!options.dryRun });
        const verb = result.dryRun ? 'would purge' : 'purged';
        console.log(
          `${verb} ${result.purged} people inactive since before ${new Date(result.cutoff).toISOString()} (${retentionDays} days)`,
        );
        for (const [district, count] of Object.entries(result.byDistrict)) {
          const name = ctx.regions.get(Number(district))?.name ?? district;
          console.log(`  ${name}: ${count}`);
        }
      });
    });
}
