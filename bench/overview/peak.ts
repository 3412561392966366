import { sql } from 'kysely';
import { SYSTEM_ACTOR } from '../../src/app/cases/actor.ts';
import { recordPositive } from '../../src/app/cases/intake.ts';
import { inTransaction, type AppContext } from '../../src/app/context.ts';
import { getActiveRuleSet } from '../../src/app/kernel/rule-sets.ts';
import { addDays } from '../../src/domain/time/calendar.ts';
import { foldNewScans } from '../../src/store/command/site-tally.ts';
import { buildPeakCaseState, PEAK_DAY } from '../lib/peak-state.ts';
import { loadWave } from '../tracing/wave.ts';
import { loadZoneWave } from '../zones/wave.ts';
import { loadPeakRound } from './round.ts';

/**
 * "The city in the state of the 13 April 2022 peak" for the overview, made of each capability's
 * own peak builder (cases and beds: bench/lib/peak-state.ts; zones: bench/zones/wave.ts; tracing:
 * bench/tracing/wave.ts) and the finished round of the day before (round.ts); the day's new
 * positives then go through the cases capability's intake, and every consumer and monitoring
 * rule catches up, so the server starts on a settled peak. Each builder's own case numbering is
 * its own (they were written to be timed alone): row counts and shapes are the peak's, the links
 * between the capabilities' rows are not.
 */
export interface PeakFigures {
  priorCases: number;
  todayPositives: number;
  zoneDesignations: number;
  tracingContacts: number;
  roundScans: number;
  roundTubes: number;
  seconds: Record<string, number>;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function timed<T>(seconds: Record<string, number>, name: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const value = await work();
  seconds[name] = Math.round((performance.now() - started) / 100) / 10;
  console.error(`  ${name}: ${seconds[name]} s`);
  return value;
}

/** Where the zones and tracing builders' own case numbers are moved, clear of the cases table's ids. */
const BUILDER_CASE_OFFSET = 1_000_000_000;

/**
 * The zones and tracing builders number their wave's cases from 1, as the cases table does: the
 * day's intake would then meet "its" case id already taken in zone_positives and tracing's
 * investigations and clusters. Their numbers move out of the way (a bench-state fix-up only).
 */
async function separateBuilderCaseIds(ctx: AppContext): Promise<void> {
  const db = ctx.store.db;
  const shift = (column: string) => sql<number>`${sql.ref(column)} + ${BUILDER_CASE_OFFSET}`;
  await db
    .updateTable('zone_positives')
    .set({ case_id: sql<string>`${sql.lit('wave-')} || ${sql.ref('case_id')}` })
    .execute();
  await db
    .updateTable('tracing_investigations')
    .set({ case_id: shift('case_id'), cluster_id: shift('cluster_id') })
    .execute();
  await db
    .updateTable('tracing_source_links')
    .set({
      case_id: shift('case_id'),
      source_case_id: shift('source_case_id'),
      cluster_id: shift('cluster_id'),
    })
    .execute();
  await db
    .updateTable('tracing_clusters')
    .set({ id: shift('id') })
    .execute();
  await db
    .updateTable('tracing_contacts')
    .set({ case_id: shift('case_id') })
    .execute();
  await db
    .updateTable('tracing_timeline')
    .set({ case_id: shift('case_id') })
    .execute();
}

export async function buildOverviewPeak(
  ctx: AppContext,
  options: { scale: number; seed: number },
): Promise<PeakFigures> {
  const seconds: Record<string, number> = {};
  const zonesRules = (await getActiveRuleSet(ctx)).zones;
  const zones = await timed(seconds, 'zones', () =>
    loadZoneWave(ctx, zonesRules, { ...options, day: PEAK_DAY }),
  );
  await timed(seconds, 'tracing', () => loadWave(ctx, { ...options, day: PEAK_DAY }));
  await separateBuilderCaseIds(ctx);
  const cases = await timed(seconds, 'cases', () => buildPeakCaseState(ctx, options));
  const round = await timed(seconds, 'round', () =>
    loadPeakRound(ctx, { seed: options.seed, day: addDays(PEAK_DAY, -1) }),
  );
  await timed(seconds, 'intake', async () => {
    for (const batch of chunk(cases.today, 500)) {
      await inTransaction(ctx, async (uow) => {
        for (const p of batch) {
          await recordPositive(
            ctx,
            uow,
            {
              personId: p.personId,
              source: 'screening',
              sourceRef: p.tubeCode,
              roundId: String(round.roundId),
              ct: 26,
              sampledAt: p.sampledAt,
              reportedAt: p.reportedAt,
              districtHint: p.districtId,
            },
            SYSTEM_ACTOR,
          );
        }
      });
    }
  });
  await timed(seconds, 'consumers', () => ctx.events.drain());
  // The site-capacity rule's tally of the round's scans, caught up as a running server would be:
  // the same sweeps, each in one transaction (one commit per sweep rather than per site-hour row:
  // 171 s of commits at scale 1).
  await timed(seconds, 'siteTally', async () => {
    let idle = 0;
    while (idle < 2) {
      const folded = await ctx.store.db.transaction().execute((trx) => foldNewScans(trx));
      idle = folded === 0 ? idle + 1 : 0;
    }
  });
  const contacts = await ctx.store.db
    .selectFrom('tracing_contacts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return {
    priorCases: cases.priorCases,
    todayPositives: cases.today.length,
    zoneDesignations: zones.designations,
    tracingContacts: Number(contacts.n),
    roundScans: round.scans,
    roundTubes: round.tubes,
    seconds,
  };
}
