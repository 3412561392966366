import type { Command } from 'commander';
import { runDailyZonesAndDuties } from '../app/zones/daily.ts';
import { AUTO_APPROVE_SETTING } from '../app/zones/proposals.ts';
import { invalid } from '../domain/errors.ts';
import { withCliContext } from './context.ts';

/**
 * `cordon zones …`: the daily turn on demand (step-down proposals and the day's first per-day
 * duty tests) and the deployment's auto-approve setting.
 */
export function registerZones(program: Command): void {
  const zones = program
    .command('zones')
    .description('zones (三区) and screening duties: the daily turn, auto-approve');

  zones
    .command('daily')
    .description(
      "make today's step-down proposals and order today's per-day duty tests now (the server also does it on the first tick of each day)",
    )
    .action(async () => {
      await withCliContext(async (ctx) => {
        const report = await runDailyZonesAndDuties(ctx);
        const p = report.proposals;
        console.log(
          `${report.day}: ${p.evaluated} places evaluated, ${p.proposed} new proposals (${p.kept} still pending), ${p.applied} applied, ${report.dutyOrders} duty tests ordered`,
        );
      });
    });

  zones
    .command('auto-approve')
    .argument(
      '<on|off|rules>',
      'on: apply proposals at once; off: a user approves each; rules: as the active rule set says',
    )
    .description('whether step-down proposals need a user’s approval in this deployment')
    .action(async (value: string) => {
      if (!['on', 'off', 'rules'].includes(value)) throw invalid('auto-approve', 'on, off or rules', value);
      await withCliContext(async (ctx) => {
        const db = ctx.store.db;
        if (value === 'rules') {
          await db.deleteFrom('settings').where('key', '=', AUTO_APPROVE_SETTING).execute();
        } else {
          const v = value === 'on' ? 'true' : 'false';
          await db
            .insertInto('settings')
            .values({ key: AUTO_APPROVE_SETTING, value: v })
            .onConflict((oc) => oc.column('key').doUpdateSet({ value: v }))
            .execute();
        }
        console.log(`zones auto-approve: ${value}`);
      });
    });
}
