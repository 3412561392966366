import os from 'node:os';
import { activateRuleSet, copyRuleSet } from '../src/app/kernel/rule-sets.ts';
import { matchCoPresenceForDay } from '../src/app/tracing/matching.ts';
import { ManualClock } from '../src/domain/time/clock.ts';
import { EventDispatcher } from '../src/events/dispatcher.ts';
import { benchArgs } from './lib/args.ts';
import { openBenchCity } from './lib/city.ts';
import { printResult } from './lib/result.ts';
import { loadDayOfCheckins } from './tracing/checkins.ts';
import { chainLatencies, createDayContacts, rawInsertRate } from './tracing/measure.ts';
import { loadWave } from './tracing/wave.ts';

/**
 * `npm run bench -- tracing --scale 0.1 --seed 1` (issue 6), on the city at the 13 April 2022
 * peak:
 * - value = contacts created per second by tracing's real path for the day's 27,605 × S cases
 *   (investigation, source link, household close contacts by rule, contacts of contacts named by
 *   tracers, each with its quarantine plan); baseline = the same run's raw insert rate of the
 *   same contact rows;
 * - matchSeconds = co-presence matching of one day of check-ins (one per resident, loaded first)
 *   against that day's cases;
 * - chainP95Ms = p95 of chain queries (HTTP, presented) on chains of up to 1,000 cases.
 * The run's rule set turns the floor rule off: at full strength it names ~20 neighbours a case,
 * not the wave's reported 1.5 contacts of contacts, which tracers name here instead.
 */
export async function main(argv: string[]): Promise<void> {
  const args = benchArgs(argv, {}, { scale: '0.1', seed: '1' });
  const day = '2022-04-13';
  const clock = new ManualClock(Date.parse('2022-04-13T15:59:00Z')); // 23:59 in Shanghai: the day's cases are in
  const city = await openBenchCity({ name: 'tracing', scale: args.scale, seed: args.seed, clock });
  const ctx = city.ctx;
  // Other capabilities' consumers (status, zones, cases…) would react to every event tracing
  // writes, on the same SQLite connection, in the middle of the timings; their costs are their
  // own benches'. The outbox is still written: only delivery waits.
  ctx.events = new EventDispatcher(ctx.store);
  try {
    const actor = { userId: null, username: 'bench' };
    await copyRuleSet(
      ctx,
      'shanghai-2022-05-16',
      'bench-tracing',
      { contacts: { floorRadiusUnderLockdown: null } },
      actor,
    );
    await activateRuleSet(ctx, 'bench-tracing', actor);

    log('loading the wave before the day (investigations, contacts, chains)…');
    const wave = await loadWave(ctx, { scale: args.scale, seed: args.seed, day });
    log(`loading one check-in per resident on ${day}…`);
    const checkins = await loadDayOfCheckins(ctx, day, args.seed);

    log(`creating contacts for the day's ${wave.today.length} cases…`);
    const created = await createDayContacts(ctx, wave, args.seed);
    const raw = await rawInsertRate(ctx, wave.today[0].caseId);

    log('matching the day of check-ins against the day’s cases…');
    const matchCpu = process.cpuUsage();
    const matchStarted = performance.now();
    const match = await matchCoPresenceForDay(ctx, day);
    const matchSeconds = (performance.now() - matchStarted) / 1000;
    const matchCpuUsed = process.cpuUsage(matchCpu);

    log('querying chains…');
    const chains = await chainLatencies(ctx, wave, args.seed);

    const value = created.contacts / created.seconds;
    const baseline = raw.rows / raw.seconds;
    printResult({
      bench: 'tracing',
      scale: args.scale,
      value,
      unit: 'contacts/s',
      baseline,
      dialect: ctx.store.dialect,
      cityFromCache: city.fromCache,
      downstreamConsumers: 'paused',
      dayCases: wave.today.length,
      contactsCreated: created.contacts,
      closePerCase: round(created.close / wave.today.length),
      secondaryPerCase: round(created.secondary / wave.today.length),
      contactSeconds: round(created.seconds),
      contactCpuSeconds: round(created.cpuSeconds),
      waveCasesBefore: wave.historyCases,
      waveContactsBefore: wave.historyContacts,
      checkins: checkins.rows,
      checkinsPerSecond: Math.round(checkins.rows / checkins.seconds),
      matchSeconds: round(matchSeconds),
      matchCpuSeconds: round((matchCpuUsed.user + matchCpuUsed.system) / 1e6),
      matchWindows: match.windows,
      proposed: match.proposed,
      pushedCrossDistrict: match.pushed,
      chainP50Ms: round(chains.p50),
      chainP95Ms: round(chains.p95),
      chainMaxMs: round(chains.max),
      chainP95CpuMs: round(chains.cpuP95),
      loadAverage: Math.round(os.loadavg()[0] * 10) / 10,
      chainMaxNodes: chains.maxNodes,
      chainQueries: chains.queries,
    });
  } finally {
    await city.close();
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function log(message: string): void {
  console.error(`[tracing] ${message}`);
}
