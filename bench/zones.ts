import v8 from 'node:v8';
import vm from 'node:vm';
import { sql } from 'kysely';
import { activateRuleSet } from '../src/app/kernel/rule-sets.ts';
import { proposeStepDowns } from '../src/app/zones/proposals.ts';
import { shippedRuleSet } from '../src/domain/rules/catalogue.ts';
import { atLocalTime } from '../src/domain/time/calendar.ts';
import { ManualClock } from '../src/domain/time/clock.ts';
import { EventDispatcher } from '../src/events/dispatcher.ts';
import { activeDesignationsPage } from '../src/store/zones/designations.ts';
import { benchArgs } from './lib/args.ts';
import { openBenchCity } from './lib/city.ts';
import { printResult } from './lib/result.ts';
import { loadZoneWave } from './zones/wave.ts';

/**
 * `npm run bench -- zones --scale 1 --seed 1` (issue 5), on the city at the 13 April 2022 peak
 * under that day's rules (shanghai-2022-04-11):
 * - value = places evaluated per second by the daily step-down proposals over every active
 *   designation (positives, held buildings and day-N test coverage read, the rules applied, the
 *   due proposals written with their events);
 * - baseline = the same run's plain read of the same zone rows, in the same pages;
 * - seconds = the whole daily run (goal: under 5 s for every place of the city).
 */
export async function main(argv: string[]): Promise<void> {
  const args = benchArgs(argv, {}, { scale: '1', seed: '1' });
  const day = '2022-04-13';
  const clock = new ManualClock(atLocalTime(day, 0, 30, 'Asia/Shanghai'));
  const city = await openBenchCity({ name: 'zones', scale: args.scale, seed: args.seed, clock });
  const ctx = city.ctx;
  // Downstream consumers would react to the proposals' events on the same connection, inside the
  // timing; their costs are their own. The outbox is still written.
  ctx.events = new EventDispatcher(ctx.store);
  try {
    await activateRuleSet(ctx, 'shanghai-2022-04-11', { userId: null, username: 'bench' });
    const zones = shippedRuleSet('shanghai-2022-04-11')!.zones;
    log(`loading the wave's positives and zones to ${day}…`);
    const wave = await loadZoneWave(ctx, zones, { scale: args.scale, seed: args.seed, day });
    await sql`analyze`.execute(ctx.store.db);
    log(
      `${wave.active} active designations (${wave.holds} held buildings) from ${wave.cases} positives; ${wave.dayTestOrders} day-N test orders`,
    );

    log('baseline: reading the zone rows…');
    let rows = 0;
    const readStarted = performance.now();
    for (let after = 0; ;) {
      const page = await activeDesignationsPage(ctx.store.db, after, 2000);
      rows += page.length;
      if (page.length < 2000) break;
      after = page[page.length - 1].id;
    }
    const readSeconds = (performance.now() - readStarted) / 1000;

    settleHeap();
    log('the daily step-down proposals…');
    const started = performance.now();
    const report = await proposeStepDowns(ctx);
    const seconds = (performance.now() - started) / 1000;
    printResult({
      bench: 'zones',
      scale: args.scale,
      value: report.evaluated / seconds,
      unit: 'places/s',
      baseline: rows / readSeconds,
      seconds: round(seconds),
      placesEvaluated: report.evaluated,
      proposed: report.proposed,
      blocked: report.blocked,
      readSeconds: round(readSeconds),
      positives: wave.cases,
      designations: wave.designations,
      heldBuildings: wave.holds,
      dayTestOrders: wave.dayTestOrders,
      simulateSeconds: round(wave.simulateSeconds),
      ruleSet: 'shanghai-2022-04-11',
      dialect: ctx.store.dialect,
      cityFromCache: city.fromCache,
    });
  } finally {
    await city.close();
  }
}

/** A full collection before timing: the wave's loading garbage is not the evaluation's cost. */
function settleHeap(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function log(message: string): void {
  console.error(`[zones] ${message}`);
}
