import type { Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { createContext } from '../app/bootstrap.ts';
import { ensureDemoUsers } from '../app/access/demo-users.ts';
import { seedCity } from '../app/registry/seed.ts';
import { startServer } from '../app/server-runtime.ts';
import {
  DEFAULT_BACKGROUND,
  holdClockForBackground,
  startBackgroundSimulation,
} from '../app/simulation/background.ts';
import { loadConfig } from '../config/config.ts';

type StartOptions = {
  scale: string;
  seed: string;
  port?: string;
  simulation: boolean;
  simulationSpeed: string;
};

/**
 * `npm start`: migrate, seed a demo city when the database is empty, start the server and print
 * the address and the demo credentials. A newcomer's first command.
 */
export function registerStart(program: Command): void {
  program
    .command('start')
    .description('migrate, seed a demo city if the database is empty, and serve (what `npm start` runs)')
    .option('--scale <scale>', 'demo city scale (1 = Shanghai, 24.87 M residents)', '0.01')
    .option('--seed <seed>', 'random seed of the demo city', '1')
    .option('--port <port>', 'port to listen on')
    .option('--no-simulation', 'serve a still city: no outbreak simulation in the background')
    .option('--simulation-speed <x>', 'background simulation speed', String(DEFAULT_BACKGROUND.speed))
    .action(async (options: StartOptions) => {
      const config = loadConfig();
      const ctx = await createContext({ config });
      if (!ctx.regions.city()) {
        const scale = Number(options.scale);
        console.log(
          `Seeding a demo city: Shanghai × ${scale} (about ${Math.round(24_870_895 * scale).toLocaleString('en')} residents)…`,
        );
        const bar = new SingleBar(
          { format: ' {bar} {percentage}% | {value}/{total} people | {phase}', hideCursor: true },
          Presets.shades_classic,
        );
        let started = false;
        const summary = await seedCity(ctx, {
          scale,
          seed: Number(options.seed),
          onProgress: (p) => {
            if (!started) {
              bar.start(p.totalPeople, 0, { phase: p.phase });
              started = true;
            }
            bar.update(p.people, { phase: p.phase });
          },
        });
        bar.stop();
        console.log(
          `Seeded ${summary.people.toLocaleString('en')} people in ${summary.seconds.toFixed(1)} s.`,
        );
      }
      const credentials = await ensureDemoUsers(ctx);
      if (options.simulation) await holdClockForBackground(ctx, DEFAULT_BACKGROUND);
      const server = await startServer(ctx, {
        host: config.host,
        port: options.port ? Number(options.port) : config.port,
      });
      console.log('');
      console.log(`Cordon is running — 指挥大屏 dashboard: ${server.url}/`);
      console.log(`API reference: ${server.url}/api/docs   event stream: ${server.url}/api/v1/events`);
      console.log(
        `Database: ${config.databaseUrl ? 'PostgreSQL' : `${config.dataDir}/cordon.db`}   rule set: ${config.ruleSet}`,
      );
      console.log('Demo users:');
      for (const c of credentials) {
        console.log(
          `  ${c.username.padEnd(10)} ${c.password ?? '(password changed by an operator)'}   ${c.role} · ${c.regionName}`,
        );
      }
      // ---- background simulation (issue 8, docs/SIMULATION.md): the demo city at work ----
      const speed = Number(options.simulationSpeed);
      const simulation = options.simulation
        ? startBackgroundSimulation(ctx, server.url, {
            ...DEFAULT_BACKGROUND,
            scale: Number(options.scale),
            speed,
            log: (line) => console.log(line),
          })
        : null;
      if (simulation) {
        console.log(
          `Background simulation: the spring-2022 wave at ${speed}× (--no-simulation for a still city).`,
        );
      }
      // ---- end of background simulation ----
      const shutdown = () => {
        const stopped = simulation ? simulation.stop() : Promise.resolve();
        void stopped.then(() => server.stop()).then(() => process.exit(0));
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    });
}
