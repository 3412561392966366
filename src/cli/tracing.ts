import type { Command } from 'commander';
import { z } from 'zod';
import { importCheckinsFile } from '../app/tracing/checkins-file.ts';
import { matchCoPresenceForDay } from '../app/tracing/matching.ts';
import { DomainError } from '../domain/errors.ts';
import { withCliContext } from './context.ts';

const dayArgument = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a calendar day YYYY-MM-DD');

/**
 * `cordon checkins import FILE.csv` — a day of venue check-ins (venue_id,person_id,at), all or
 * nothing; `cordon tracing match --day YYYY-MM-DD` — propose co-presence contacts (时空伴随) for
 * the cases reported that day.
 */
export function registerTracing(program: Command): void {
  program
    .command('checkins')
    .description('venue check-ins (场所码) for co-presence matching')
    .command('import')
    .description('import check-ins from a CSV file with the header venue_id,person_id,at (all or nothing)')
    .argument('<file>', 'the CSV file (UTF-8); at = epoch ms or an ISO 8601 instant with its offset')
    .action(async (file: string) => {
      await withCliContext(async (ctx) => {
        const started = performance.now();
        const result = await importCheckinsFile(ctx, file, (rows) =>
          process.stderr.write(`\r${rows.toLocaleString('en')} rows checked and stored…`),
        );
        const seconds = (performance.now() - started) / 1000;
        process.stderr.write('\n');
        console.log(
          `imported ${result.inserted.toLocaleString('en')} check-ins (${(result.received - result.inserted).toLocaleString('en')} already stored) in ${seconds.toFixed(1)} s`,
        );
      });
    });

  program
    .command('tracing')
    .description('contact tracing (流调溯源)')
    .command('match')
    .description(
      "propose contacts from venue check-ins within the rule set's window around each case reported on the day",
    )
    .requiredOption('--day <YYYY-MM-DD>', 'the calendar day whose cases to match (deployment time zone)')
    .action(async (options: { day: string }) => {
      const day = dayArgument.safeParse(options.day);
      if (!day.success) {
        throw new DomainError('validation_failed', `--day: ${day.error.issues[0].message}`, [
          { field: '--day', message: day.error.issues[0].message, value: options.day },
        ]);
      }
      await withCliContext(async (ctx) => {
        const started = performance.now();
        const result = await matchCoPresenceForDay(ctx, day.data);
        const seconds = (performance.now() - started) / 1000;
        console.log(
          `${result.cases} cases, ${result.windows} stays matched: ${result.proposed} contacts proposed (${result.pushed} pushed to another district) in ${seconds.toFixed(2)} s`,
        );
      });
    });
}
