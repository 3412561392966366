import { SPRING_2022 } from '../../domain/simulation/scenario.ts';
import { addDays, startOfDay } from '../../domain/time/calendar.ts';
import type { AppContext } from '../context.ts';
import { setClock } from '../kernel/clock-admin.ts';
import { runSimulation } from './run.ts';

/**
 * The demo city at work behind `npm start`: the spring-2022 wave played in the background
 * against the server just started, at a speed that makes the dashboard move (a simulated hour in
 * six real seconds by default). The model plays the quiet first weeks alone so that the actors
 * join when cases start to appear. Stops with the server.
 */
export interface BackgroundOptions {
  scale: number;
  seed: number;
  /** Simulated ms per real ms. */
  speed: number;
  /** Days the model plays alone before the actors join. */
  warmUpDays: number;
  days: number;
  log(line: string): void;
}

export const DEFAULT_BACKGROUND: Omit<BackgroundOptions, 'scale' | 'log'> = {
  seed: 1,
  speed: 600,
  warmUpDays: 20,
  days: 90,
};

/**
 * Stops the deployment's clock where the background simulation will start, before the server
 * starts: otherwise the server runs for a moment on today's date — in a database that already
 * holds a simulated spring 2022 (a restart), its rules would mark that spring's open test orders
 * overdue and issue bulletins for every day up to today. The run then plays from there again.
 */
export async function holdClockForBackground(
  ctx: AppContext,
  options: Pick<BackgroundOptions, 'warmUpDays'>,
): Promise<void> {
  const first = startOfDay(addDays(SPRING_2022.start, options.warmUpDays), ctx.config.timeZone);
  await setClock(ctx, { now: first, speed: 0 }, { userId: null, username: 'cordon start' });
}

export function startBackgroundSimulation(
  ctx: AppContext,
  url: string,
  options: BackgroundOptions,
): { stop(): Promise<void> } {
  const abort = new AbortController();
  const running = runSimulation(ctx, {
    scale: options.scale,
    days: options.days,
    speed: options.speed,
    seed: options.seed,
    url,
    sameProcess: true,
    warmUpDays: options.warmUpDays,
    signal: abort.signal,
    log: options.log,
    onDay: (f, day, of) => {
      if (day > options.warmUpDays) {
        options.log(
          `[simulation] ${f.date} (day ${day}/${of}): ${f.reported} positives reported, ${f.community} in the community, ${f.sampled.toLocaleString('en')} sampled`,
        );
      }
    },
  })
    .then((s) =>
      options.log(
        abort.signal.aborted
          ? `[simulation] stopped with the server after ${s.figures.length} days`
          : `[simulation] done: peak ${s.calibration.peakDay} (${s.calibration.peakHeight}); ${s.requests.toLocaleString('en')} API requests`,
      ),
    )
    .catch((error: unknown) => {
      if (!abort.signal.aborted) {
        options.log(`[simulation] stopped: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
  return {
    async stop() {
      abort.abort();
      await running;
    },
  };
}
