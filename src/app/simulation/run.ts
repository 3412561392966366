import { calibrate, type Calibration, type DayFigures } from '../../domain/simulation/figures.ts';
import type { ModelParameters } from '../../domain/simulation/parameters.ts';
import { SPRING_2022, type Scenario } from '../../domain/simulation/scenario.ts';
import type { AppContext } from '../context.ts';
import { setOpenBeds, switchRuleSet } from './actors/command.ts';
import { dayTasks } from './day-tasks.ts';
import { sleep } from './http-client.ts';
import { shanghai2022 } from './reference.ts';
import { openSession, type Session } from './session.ts';

/**
 * `cordon simulate`, `npm start`'s background city and the tests run this: day by day, the model
 * decides what happens and the actors make it happen through the API at the day's local times.
 * The clock is the kernel's (PUT /admin/clock): at speed 0 it jumps to each task's time and
 * stands still while the task runs; at speed X it runs X times real time and tasks wait for their
 * time. In-process, each task waits until the server has delivered every event it caused.
 */
export interface RunOptions {
  scale: number;
  days: number;
  /** Simulated ms per real ms; 0 = as fast as possible. */
  speed: number;
  seed: number;
  scenario?: Scenario;
  parameters?: ModelParameters;
  rules?: string;
  url?: string;
  /** The server at `url` runs in this process (npm start). */
  sameProcess?: boolean;
  /** Without `url`: run the server as its own process with this environment (see openSession). */
  serverProcess?: NodeJS.ProcessEnv;
  /** Days the model plays alone before the actors join. */
  warmUpDays?: number;
  onDay?(figures: DayFigures, day: number, of: number): void;
  log?(line: string): void;
  /** Stops the run after the current task (npm start's shutdown). */
  signal?: AbortSignal;
}

export interface RunSummary {
  figures: DayFigures[];
  calibration: Calibration;
  url: string;
  seconds: number;
  requests: number;
  retries: number;
  failures: number;
  byRoute: [string, number][];
  counts: [string, number][];
  problems: [string, number][];
  missing: string[];
  events: { at: string; note: string }[];
}

export async function runSimulation(ctx: AppContext, options: RunOptions): Promise<RunSummary> {
  const started = performance.now();
  const log = options.log ?? (() => undefined);
  const scenario = options.scenario ?? SPRING_2022;
  const session = await openSession(ctx, {
    scale: options.scale,
    seed: options.seed,
    scenario,
    parameters: options.parameters,
    rules: options.rules,
    url: options.url,
    sameProcess: options.sameProcess,
    serverProcess: options.serverProcess,
    log,
  });
  const { actors } = session;
  const events: { at: string; note: string }[] = [];
  try {
    const warmUp = Math.min(options.warmUpDays ?? 0, options.days);
    for (let day = 0; day < warmUp; day++) options.onDay?.(actors.sim.step().figures, day + 1, options.days);
    const clock = new ClockDriver(session, options.speed);
    await clock.start(actors.instant(warmUp, 0));
    let tokensAt = Date.now();
    await switchRuleSet(actors, options.rules ?? scenario.ruleSet);
    await setOpenBeds(actors, session.registered, [...actors.organisations.facilitiesByKind.keys()]);
    for (let day = warmUp; day < options.days && !options.signal?.aborted; day++) {
      if (Date.now() - tokensAt > 6 * 3600_000) {
        await session.refreshTokens();
        tokensAt = Date.now();
      }
      const outcome = actors.sim.step();
      for (const e of outcome.actions.events) {
        events.push({ at: `${outcome.actions.date} ${minuteText(e.at - day * 1440)}`, note: e.note });
      }
      for (const task of dayTasks(actors, outcome, session.registered, session.districtOfSite)) {
        if (options.signal?.aborted) break;
        const t0 = performance.now();
        await clock.reach(actors.instant(day, task.minute));
        const t1 = performance.now();
        await task.run();
        const t2 = performance.now();
        await clock.settle();
        if (process.env.CORDON_SIM_TRACE) {
          log(
            `  ${task.label}: clock ${(t1 - t0).toFixed(0)} ms, run ${(t2 - t1).toFixed(0)} ms, settle ${(performance.now() - t2).toFixed(0)} ms`,
          );
        }
      }
      options.onDay?.(outcome.figures, day + 1, options.days);
    }
    const figures = actors.sim.dailyFigures();
    const stats = actors.api.stats;
    return {
      figures,
      calibration: calibrate(figures, shanghai2022(), options.scale),
      url: actors.api.baseUrl,
      seconds: (performance.now() - started) / 1000,
      requests: stats.requests,
      retries: stats.retries,
      failures: stats.failures,
      byRoute: [...stats.byRoute]
        .sort((a, b) => b[1] - a[1])
        .map(([route, n]) => [`${route} (${Math.round(stats.msByRoute.get(route) ?? 0)} ms)`, n]),
      counts: [...actors.state.counts],
      problems: [...actors.problems].sort((a, b) => b[1] - a[1]),
      missing: [...actors.missing],
      events,
    };
  } finally {
    await session.close();
  }
}

function minuteText(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

/** Moves the deployment's clock through the admin API (and, in-process, waits for the server to settle). */
class ClockDriver {
  private anchorSim = 0;
  private anchorReal = 0;
  private last = -1;

  constructor(
    private readonly session: Session,
    private readonly speed: number,
  ) {}

  private async set(now: number, speed: number): Promise<void> {
    const { actors } = this.session;
    await actors.api.put(actors.tokens.admin, '/admin/clock', { now, speed }, '/admin/clock');
    this.last = now;
  }

  async start(instant: number): Promise<void> {
    await this.set(instant, this.speed);
    this.anchorSim = instant;
    this.anchorReal = Date.now();
  }

  /** Speed 0: jump to the instant. Speed X: wait until the running clock gets there. */
  async reach(instant: number): Promise<void> {
    if (this.speed === 0) {
      if (instant > this.last) await this.set(instant, 0);
      return;
    }
    const due = this.anchorReal + (instant - this.anchorSim) / this.speed;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait);
  }

  /** Lets in-process consumers finish what the last task set off, so the next task sees it. */
  async settle(): Promise<void> {
    await this.session.settle();
  }
}
