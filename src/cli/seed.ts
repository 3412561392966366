import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { z } from 'zod';
import { seedCity, type SeedProgress } from '../app/registry/seed.ts';
import { DomainError } from '../domain/errors.ts';
import { withCliContext } from './context.ts';

const seedArguments = z.object({
  scale: z.coerce
    .number({ error: 'expected a number' })
    .positive('expected a scale above 0')
    .max(4, 'expected a scale of at most 4'),
  seed: z.coerce
    .number({ error: 'expected a whole number' })
    .int('expected a whole number')
    .min(0, 'expected 0 or more'),
});

export function registerSeed(program: Command): void {
  program
    .command('seed')
    .description(
      "fill an empty registry with the synthetic city: Shanghai's 16 districts at their 2020 census populations × scale",
    )
    .option('--scale <S>', 'population factor (1 = 24.87 M residents; 0.01 ≈ 250,000)', '0.01')
    .option('--seed <N>', 'random seed; the same seed gives the same city', '1')
    .action(async (raw: { scale: string; seed: string }) => {
      const parsed = seedArguments.safeParse(raw);
      if (!parsed.success) {
        const details = parsed.error.issues.map((i) => ({
          field: `--${i.path.join('.')}`,
          message: i.message,
        }));
        throw new DomainError(
          'validation_failed',
          details.map((d) => `${d.field}: ${d.message}`).join('; '),
          details,
        );
      }
      const { scale, seed } = parsed.data;
      await withCliContext(async (ctx) => {
        const bar = new cliProgress.SingleBar(
          {
            stream: process.stderr,
            format: 'seeding |{bar}| {percentage}% | {value}/{total} people | {phase} | ETA {eta_formatted}',
            hideCursor: true,
          },
          cliProgress.Presets.shades_classic,
        );
        let started = false;
        const onProgress = (p: SeedProgress) => {
          if (!started) {
            bar.start(p.totalPeople, 0, { phase: p.phase });
            started = true;
          }
          bar.update(p.people, { phase: p.phase === 'indexes' ? 'building indexes' : p.phase });
        };
        try {
          const s = await seedCity(ctx, { scale, seed, onProgress });
          bar.stop();
          console.log(
            `seeded the synthetic city (scale ${s.scale}, seed ${s.seed}) in ${s.seconds.toFixed(1)} s — ${s.peoplePerSecond.toLocaleString('en')} people/s`,
          );
          console.log(
            `  regions:    ${s.districts} districts, ${s.streets} streets/towns, ${s.committees} committees`,
          );
          console.log(
            `  homes:      ${s.compounds.toLocaleString('en')} compounds, ${s.buildings.toLocaleString('en')} buildings, ${s.households.toLocaleString('en')} households`,
          );
          console.log(`  people:     ${s.people.toLocaleString('en')}`);
          console.log(
            `  other:      ${s.otherPlaces.toLocaleString('en')} workplaces, schools, venues…; ${s.organisations.toLocaleString('en')} organisations`,
          );
          console.log(
            `  response:   ${s.samplingSites.toLocaleString('en')} sampling sites, ${s.facilities} facilities with ${s.beds.toLocaleString('en')} beds`,
          );
        } finally {
          bar.stop();
        }
      });
    });
}
