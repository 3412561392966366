import type { Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { z } from 'zod';
import { closeContext, createContext } from '../app/bootstrap.ts';
import { loadDrill } from '../app/simulation/drill.ts';
import { writeReport } from '../app/simulation/report.ts';
import { runModelOnly } from '../app/simulation/model-run.ts';
import { runSimulation, type RunSummary } from '../app/simulation/run.ts';
import { loadConfig } from '../config/config.ts';
import { DomainError } from '../domain/errors.ts';
import { SPRING_2022 } from '../domain/simulation/scenario.ts';

/**
 * `cordon simulate`: plays an outbreak and the whole response on the city in CORDON_DATA_DIR
 * (seeded first if empty) through Cordon's HTTP API — its own server on a free loopback port, or
 * the one --url names over the same data directory — with progress and a summary table.
 */
const argsSchema = z.object({
  scale: z.coerce.number().positive().max(4),
  days: z.coerce.number().int().positive().max(400).optional(),
  speed: z.coerce.number().min(0).max(1_000_000),
  start: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'a calendar day YYYY-MM-DD')
    .optional(),
  seed: z.coerce.number().int().min(0),
  rules: z.string().min(1).optional(),
  url: z.string().url().optional(),
  report: z.string().min(1).optional(),
  drill: z.string().min(1).optional(),
  modelOnly: z.boolean().optional(),
});

export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description(
      'play an outbreak and the response through the API (采送检报, 转收, 流调, 三区), with a report',
    )
    .option('--scale <S>', 'city scale (1 = Shanghai, 24.87 M residents)', '0.01')
    .option('--days <D>', "simulated days (default 90, or the drill's)")
    .option('--speed <X>', 'simulated ms per real ms: 60 = an hour a minute; 0 = as fast as possible', '0')
    .option('--start <YYYY-MM-DD>', "first simulated day (default: the scenario's, 2022-03-01)")
    .option('--seed <N>', 'seeds the city (when seeded now) and the epidemic', '1')
    .option('--rules <NAME>', "keep this rule set throughout (default: the scenario's, switching as it says)")
    .option('--url <URL>', 'drive a running server over the same data directory instead of starting one')
    .option('--report <DIR>', 'write daily.csv, chart.html and summary.json there')
    .option('--drill <FILE>', 'a drill file (YAML or JSON): outbreak and events at given times')
    .option('--model-only', 'run the model without the actors (no server): the same daily.csv, in seconds')
    .action(async (raw: Record<string, string | boolean | undefined>) => {
      const parsed = argsSchema.safeParse(raw);
      if (!parsed.success) {
        const details = parsed.error.issues.map((i) => ({
          field: `--${i.path.join('.')}`,
          message: i.message,
        }));
        throw new DomainError('validation_failed', `${details[0].field}: ${details[0].message}`, details);
      }
      const args = parsed.data;
      const drill = args.drill ? loadDrill(args.drill) : null;
      const base = drill?.scenario ?? SPRING_2022;
      const scenario = args.start ? { ...base, start: args.start } : base;
      const days = args.days ?? drill?.days ?? 90;
      const config = loadConfig();
      const ctx = await createContext({ config });
      const tty = process.stderr.isTTY;
      const bar = new SingleBar(
        {
          format:
            ' {bar} {value}/{total} days | {date} | reported {reported} | inside {inside} | community {community} | tubes {tubes}',
          hideCursor: true,
        },
        Presets.shades_classic,
      );
      let barStarted = false;
      const t0 = Date.now();
      console.log(
        `Simulating ${scenario.name} from ${scenario.start} for ${days} days at speed ${args.speed} (scale ${args.scale}, seed ${args.seed})…`,
      );
      try {
        const run = args.modelOnly ? runModelOnly : runSimulation;
        const summary = await run(ctx, {
          scale: args.scale,
          days,
          speed: args.speed,
          seed: args.seed,
          scenario,
          rules: args.rules,
          url: args.url,
          // Its own process: the server and the simulated users then run on two cores.
          serverProcess: process.env,
          log: (line) => (barStarted && tty ? bar.stop() : undefined, console.log(line)),
          onDay: (f, day, of) => {
            const payload = {
              date: f.date,
              reported: f.reported,
              inside: f.insideControl,
              community: f.community,
              tubes: f.tubes,
            };
            if (!tty) {
              console.log(
                `day ${day}/${of} ${f.date} (${Math.round((Date.now() - t0) / 1000)} s): reported ${f.reported}, inside ${f.insideControl}, community ${f.community}, sampled ${f.sampled}, tubes ${f.tubes}, waiting transfer ${f.waitingTransfer}`,
              );
              return;
            }
            if (!barStarted) {
              bar.start(of, 0, payload);
              barStarted = true;
            }
            bar.update(day, payload);
          },
        });
        if (barStarted) bar.stop();
        printSummary(summary, args.scale);
        if (args.report) {
          const files = writeReport(args.report, summary, {
            scale: args.scale,
            seed: args.seed,
            scenario: scenario.name,
          });
          console.log(`\nReport: ${files.csv}\n        ${files.chart}\n        ${files.json}`);
        }
      } finally {
        if (barStarted) bar.stop();
        await closeContext(ctx);
      }
    });
}

function printSummary(s: RunSummary, scale: number): void {
  const c = s.calibration;
  const total = (
    k:
      | 'reported'
      | 'insideControl'
      | 'community'
      | 'sampled'
      | 'tubes'
      | 'transfers'
      | 'admissions'
      | 'infections',
  ) => s.figures.reduce((sum, f) => sum + f[k], 0);
  const mark = (ok: boolean) => (ok ? 'ok' : 'MISSED');
  console.log('\nScenario events, at their local times:');
  for (const e of s.events.slice(0, 40)) console.log(`  ${e.at}  ${e.note}`);
  console.log('\nSimulation summary');
  console.table({
    'peak day': {
      simulated: c.peakDay,
      '2022': c.referencePeakDay,
      target: `±7 days: ${mark(c.targets.peakDay)}`,
    },
    'peak height': {
      simulated: c.peakHeight,
      '2022': `${Math.round(c.referencePeakHeight)} (27,605 × ${scale})`,
      target: `±30%: ${mark(c.targets.peakHeight)}`,
    },
    'inside control from 20 Apr': {
      simulated: c.insideShareFrom20April == null ? '—' : `${(c.insideShareFrom20April * 100).toFixed(1)}%`,
      '2022': '≈98%',
      target: `>90%: ${mark(c.targets.insideShare)}`,
    },
    'community zero (3 days) from': {
      simulated: c.communityZeroFrom ?? '—',
      '2022': '—',
      target: `by 31 May: ${mark(c.targets.communityZero)}`,
    },
    'last community positive': {
      simulated: c.lastCommunityDay ?? 'none',
      '2022': '—',
      target: '—',
    },
  });
  console.table({
    infections: total('infections'),
    'positives reported': total('reported'),
    'inside control': total('insideControl'),
    community: total('community'),
    'people sampled': total('sampled'),
    tubes: total('tubes'),
    transfers: total('transfers'),
    'cases admitted': total('admissions'),
  });
  console.log(
    `API: ${s.requests.toLocaleString('en')} requests to ${s.url} (${s.retries} retried after 429, ${s.failures} refused) in ${s.seconds.toFixed(0)} s`,
  );
  for (const [route, n] of s.byRoute.slice(0, 12)) console.log(`  ${String(n).padStart(8)}  ${route}`);
  for (const [what, n] of s.counts) console.log(`  ${String(n).padStart(8)}  ${what}`);
  if (s.problems.length > 0) {
    console.log('Refusals and gaps (what Cordon said no to, as a user would see it):');
  }
  for (const [what, n] of s.problems.slice(0, 15)) console.log(`  ${String(n).padStart(8)}  ${what}`);
  if (s.missing.length > 0) {
    console.log(`Routes not on this server (capabilities not landed): ${s.missing.join(', ')}`);
  }
}
