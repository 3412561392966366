import type { Command } from 'commander';
import { day } from '../api/cases/schema.ts';
import { forecastFor } from '../app/cases/facility-commands.ts';
import { clearingReport, sameDayReport } from '../app/cases/figures.ts';
import type { AppContext } from '../app/context.ts';
import type { Principal } from '../domain/access/principal.ts';
import { DomainError } from '../domain/errors.ts';
import { withCliContext } from './context.ts';

function parseDay(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const parsed = day.safeParse(value);
  if (!parsed.success) {
    throw new DomainError('validation_failed', `${flag}: ${parsed.error.issues[0].message}`, [
      { field: flag, message: parsed.error.issues[0].message, value },
    ]);
  }
  return parsed.data;
}

/** The operator at the console reads the whole city (aggregates only: no person is shown). */
function operator(ctx: AppContext): Principal {
  const city = ctx.regions.city();
  if (!city) throw new DomainError('not_found', 'no city in the registry: seed or import one first');
  return { userId: 0, username: 'cli', role: 'admin', scope: { kind: 'region', regionId: city.id } };
}

const pct = (x: number | null) => (x == null ? '–' : `${Math.round(x * 100)}%`);

/**
 * `cordon cases clearing [--through DAY]` — 社会面清零 per district; `cordon cases same-day
 * [--day DAY]` — 日清日结; `cordon facilities forecast` — days until beds run out. Add `--json`
 * for the report as JSON.
 */
export function registerCases(program: Command): void {
  const cases = program.command('cases').description('cases, transfer and admission (转收)');
  cases
    .command('clearing')
    .description('community-clearing status (社会面清零) per district, by whole calendar days')
    .option('--through <YYYY-MM-DD>', 'last whole day judged (default: yesterday)')
    .option('--json', 'print the report as JSON')
    .action(async (options: { through?: string; json?: boolean }) => {
      const throughDay = parseDay('--through', options.through);
      await withCliContext(async (ctx) => {
        const report = await clearingReport(ctx, operator(ctx), { throughDay });
        if (options.json) return console.log(JSON.stringify(report, null, 2));
        console.log(`社会面清零 through ${report.throughDay} (${report.ruleSet})`);
        for (const u of report.units) {
          console.log(
            `${u.name.padEnd(8)} ${u.level.padEnd(17)} under 1/100k: ${u.basicallyClearedDays} d, zero: ${u.clearedDays} d, last community positive ${u.lastCommunityDay ?? '–'}, today ${u.todaySoFar}`,
          );
        }
      });
    });
  cases
    .command('same-day')
    .description('same-day transfer and admission (日清日结) per district')
    .option('--day <YYYY-MM-DD>', 'the day (default: today)')
    .option('--json', 'print the report as JSON')
    .action(async (options: { day?: string; json?: boolean }) => {
      const theDay = parseDay('--day', options.day);
      await withCliContext(async (ctx) => {
        const report = await sameDayReport(ctx, operator(ctx), theDay);
        if (options.json) return console.log(JSON.stringify(report, null, 2));
        console.log(`日清日结 ${report.day}${report.dayOver ? '' : ' (day not over)'}`);
        for (const d of [...report.districts, { ...report.total, name: 'total' }]) {
          console.log(
            `${d.name.padEnd(8)} found ${d.found}, admitted ${d.admitted} (${d.admittedSameDay} same day, ${pct(d.sameDayShare)}), waiting ${d.waiting}, wait p50 ${d.waitP50Minutes ?? '–'} min, p90 ${d.waitP90Minutes ?? '–'} min`,
          );
        }
      });
    });
  program
    .command('facilities')
    .description('isolation and treatment facilities')
    .command('forecast')
    .description('days until beds run out, per district, facility kind and bed kind')
    .option('--json', 'print the forecast as JSON')
    .action(async (options: { json?: boolean }) => {
      await withCliContext(async (ctx) => {
        const rows = await forecastFor(ctx, operator(ctx));
        if (options.json) return console.log(JSON.stringify(rows, null, 2));
        for (const r of rows) {
          console.log(
            `${(ctx.regions.get(r.districtId)?.name ?? String(r.districtId)).padEnd(8)} ${r.facilityKind.padEnd(20)} ${r.bedKind.padEnd(9)} free ${r.free}/${r.total}, net ${r.netPerDay}/day, full in ${r.daysToFull ?? '–'} days`,
          );
        }
      });
    });
}
