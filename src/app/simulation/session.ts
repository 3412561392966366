import { shippedRuleSet } from '../../domain/rules/catalogue.ts';
import type { RuleBundle } from '../../domain/rules/schema.ts';
import { OutbreakSimulation } from '../../domain/simulation/engine.ts';
import { DEFAULT_PARAMETERS, type ModelParameters } from '../../domain/simulation/parameters.ts';
import { Population } from '../../domain/simulation/population.ts';
import type { Scenario } from '../../domain/simulation/scenario.ts';
import { addDays, startOfDay } from '../../domain/time/calendar.ts';
import { DomainError } from '../../domain/errors.ts';
import type { AppContext } from '../context.ts';
import { seedCity } from '../registry/seed.ts';
import { startServer, type RunningServer } from '../server-runtime.ts';
import { actorTokens, ensureActorAccounts } from './accounts.ts';
import { newActorState, organisationIndex, type ActorContext } from './actors/actor-context.ts';
import type { RegisteredBeds } from './actors/command.ts';
import { loadCity } from './city-loader.ts';
import { ApiClient } from './http-client.ts';
import { referenceByDate } from './reference.ts';
import { registeredBeds } from './registered-beds.ts';
import { startServerProcess } from './server-process.ts';

/**
 * Everything a run stands on: a seeded city (seeded now if the database is empty), a server
 * (its own on a free loopback port, or the one at --url over the same data directory), the
 * staff accounts, and the model built over the city the server holds.
 */
export interface SessionOptions {
  scale: number;
  seed: number;
  scenario: Scenario;
  parameters?: ModelParameters;
  /** Keep this rule set throughout (`--rules`). */
  rules?: string;
  url?: string;
  /** The server at `url` runs in this process (npm start): its events can be waited for. */
  sameProcess?: boolean;
  /**
   * Without `url`: start `cordon serve` in its own process with this environment (which names
   * its database and secrets) rather than in this one, so that the server and the simulated
   * users each have a core (`cordon simulate`).
   */
  serverProcess?: NodeJS.ProcessEnv;
  /** Play the model alone for this many days before the actors join (a demo starts where things happen). */
  warmUpDays?: number;
  log(line: string): void;
}

export interface Session {
  actors: ActorContext;
  /** The server this process started (null: another process serves). */
  server: RunningServer | null;
  registered: RegisteredBeds;
  districtOfSite: Map<number, number>;
  /**
   * Waits until the server has delivered every event committed so far to its consumers (cases
   * from results, investigations from cases…): in-process directly, otherwise through
   * `POST /admin/events/drain`, so a run takes the same steps wherever its server runs.
   */
  settle(): Promise<void>;
  /** Issues fresh tokens (they live 12 h of wall time; a slow demo outlives them). */
  refreshTokens(): Promise<void>;
  close(): Promise<void>;
}

export async function openSession(ctx: AppContext, options: SessionOptions): Promise<Session> {
  if (!ctx.regions.city()) {
    options.log(`Seeding a city: Shanghai × ${options.scale}, seed ${options.seed}…`);
    await seedCity(ctx, { scale: options.scale, seed: options.seed });
  }
  const year = Number(options.scenario.start.slice(0, 4));
  const city = await loadCity(ctx, year);
  const expected = Math.round(24_870_895 * options.scale);
  if (Math.abs(city.records.people.length - expected) > Math.max(50, expected * 0.05)) {
    options.log(
      `note: the database holds ${city.records.people.length.toLocaleString('en')} people, not the ${expected.toLocaleString('en')} of scale ${options.scale}; the model uses the city it finds.`,
    );
  }
  const registered = await registeredBeds(ctx);
  for (const f of city.records.facilities) {
    f.beds = (registered.get(f.id) ?? []).reduce((s, b) => s + b.total, 0);
  }
  const ruleSet = (name: string): RuleBundle => {
    const bundle = shippedRuleSet(name);
    if (!bundle) {
      throw new DomainError('validation_failed', `unknown rule set ${name}`, [
        { field: 'rules', message: 'not a shipped rule set' },
      ]);
    }
    return bundle;
  };
  if (options.rules) ruleSet(options.rules);
  const accounts = await ensureActorAccounts(ctx, city.records);
  const child =
    !options.url && options.serverProcess ? await startServerProcess(options.serverProcess) : null;
  const server =
    options.url || child ? null : await startServer(ctx, { host: '127.0.0.1', port: 0, logger: 'error' });
  const api = new ApiClient(options.url ?? child?.url ?? server!.url);
  const tokens = await actorTokens(ctx, api, accounts).catch(async (error: unknown) => {
    await server?.stop();
    await child?.stop();
    throw error;
  });

  const runTag = `S${Date.now().toString(36).slice(-7)}`;
  const sim = new OutbreakSimulation(new Population(city.records), {
    scenario: options.scenario,
    seed: options.seed,
    parameters: options.parameters ?? DEFAULT_PARAMETERS,
    ruleSet,
    pinnedRuleSet: options.rules,
    tubePrefix: runTag,
    scale: options.scale,
    reference: referenceByDate(),
  });
  const tz = ctx.config.timeZone;
  const dayStarts = new Map<number, number>();
  const actors: ActorContext = {
    api,
    tokens,
    sim,
    codes: city.codes,
    codeKey: ctx.secrets.codeKey,
    instant(day, minute) {
      let start = dayStarts.get(day);
      if (start === undefined) {
        dayStarts.set(day, (start = startOfDay(addDays(options.scenario.start, day), tz)));
      }
      return start + minute * 60_000;
    },
    runTag,
    organisations: organisationIndex(city.records.organisations, city.records.facilities, city.records.sites),
    state: newActorState(),
    missing: new Set(),
    problems: new Map(),
    log: options.log,
  };
  return {
    actors,
    server,
    registered,
    districtOfSite: new Map(city.records.sites.map((s) => [s.id, s.districtId])),
    settle:
      server || options.sameProcess
        ? () => ctx.events.drain()
        : async () => {
            await api.post(actors.tokens.admin, '/admin/events/drain');
          },
    async refreshTokens() {
      actors.tokens = await actorTokens(ctx, api, accounts);
    },
    async close() {
      if (server) await server.stop();
      if (child) await child.stop();
    },
  };
}
