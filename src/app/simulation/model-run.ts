import { shippedRuleSet } from '../../domain/rules/catalogue.ts';
import { OutbreakSimulation } from '../../domain/simulation/engine.ts';
import { calibrate } from '../../domain/simulation/figures.ts';
import { DEFAULT_PARAMETERS } from '../../domain/simulation/parameters.ts';
import { Population } from '../../domain/simulation/population.ts';
import { SPRING_2022 } from '../../domain/simulation/scenario.ts';
import type { AppContext } from '../context.ts';
import { seedCity } from '../registry/seed.ts';
import { loadCity } from './city-loader.ts';
import { referenceByDate, shanghai2022 } from './reference.ts';
import { registeredBeds } from './registered-beds.ts';
import type { RunOptions, RunSummary } from './run.ts';

/**
 * `cordon simulate --model-only`: the epidemic and the response's decisions without the actors —
 * the same daily.csv a full run gives for the seed (the model never reads anything back from the
 * server), in seconds, for calibrating and for charts. Nothing is sent to any server.
 */
export async function runModelOnly(ctx: AppContext, options: RunOptions): Promise<RunSummary> {
  const started = performance.now();
  const scenario = options.scenario ?? SPRING_2022;
  if (!ctx.regions.city()) {
    options.log?.(`Seeding a city: Shanghai × ${options.scale}, seed ${options.seed}…`);
    await seedCity(ctx, { scale: options.scale, seed: options.seed });
  }
  const city = await loadCity(ctx, Number(scenario.start.slice(0, 4)));
  const registered = await registeredBeds(ctx);
  for (const f of city.records.facilities) {
    f.beds = (registered.get(f.id) ?? []).reduce((s, b) => s + b.total, 0);
  }
  const sim = new OutbreakSimulation(new Population(city.records), {
    scenario,
    seed: options.seed,
    parameters: options.parameters ?? DEFAULT_PARAMETERS,
    ruleSet: (name) => {
      const bundle = shippedRuleSet(name);
      if (!bundle) throw new Error(`unknown rule set ${name}`);
      return bundle;
    },
    pinnedRuleSet: options.rules,
    scale: options.scale,
    reference: referenceByDate(),
  });
  const events: RunSummary['events'] = [];
  for (let day = 0; day < options.days; day++) {
    const o = sim.step();
    for (const e of o.actions.events) {
      events.push({
        at: `${o.actions.date} ${String(Math.floor((e.at % 1440) / 60)).padStart(2, '0')}:${String(e.at % 60).padStart(2, '0')}`,
        note: e.note,
      });
    }
    options.onDay?.(o.figures, day + 1, options.days);
  }
  const figures = sim.dailyFigures();
  return {
    figures,
    calibration: calibrate(figures, shanghai2022(), options.scale),
    url: '(model only)',
    seconds: (performance.now() - started) / 1000,
    requests: 0,
    retries: 0,
    failures: 0,
    byRoute: [],
    counts: [],
    problems: [],
    missing: [],
    events,
  };
}
