import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppContext } from '../../src/app/context.ts';
import { Random } from '../../src/domain/random.ts';
import { atLocalTime, type CalendarDay } from '../../src/domain/time/calendar.ts';
import { loadPriorStays, type PriorCase, type Resident } from './peak-stays.ts';

/**
 * Cases' part of "the city in the state of the 13 April 2022 peak" (../shared/SPEC.md,
 * Benchmarks), written straight to the tables before any timing starts (not through screening's
 * chain, nor zones' or tracing's services — each of those benches builds its own part):
 * - the wave's earlier positives (282,180 × S less the day's own), dated by the daily curve
 *   (reference/shanghai_daily_2022.csv): the recent ones still in shelter and designated-hospital
 *   beds with their isolation episodes, the older ones discharged;
 * - close contacts in quarantine hotels and observation points, with quarantine episodes;
 * - the day's 27,605 × S new positives, 96.9 % of them under control when sampled (sealed
 *   residence or quarantine episodes: the day's published split, 26,748 of 27,605), the rest
 *   in the community — returned for the benchmark to take in.
 * Reusable by any bench that needs the case and bed side of the peak: `buildPeakCaseState`.
 */
const HERE = path.dirname(fileURLToPath(import.meta.url));
const TZ = 'Asia/Shanghai';
export const PEAK_DAY: CalendarDay = '2022-04-13';
const WAVE_CASES = 282_180;
const DAY_CASES = 27_605;
const DAY_INSIDE_SHARE = 26_748 / 27_605;

export interface PeakPositive extends Resident {
  tubeCode: string;
  sampledAt: number;
  reportedAt: number;
  insideControl: boolean;
}

export interface PeakCaseState {
  today: PeakPositive[];
  priorCases: number;
  priorAdmitted: number;
  contactsInQuarantine: number;
  seconds: number;
}

/** The wave's daily new infections to `lastDay`, scaled, with the remainder carried so totals match. */
function dailyCurve(
  scale: number,
  lastDay: CalendarDay,
): { day: CalendarDay; n: number; insideShare: number }[] {
  const text = fs.readFileSync(path.join(HERE, '../../reference/shanghai_daily_2022.csv'), 'utf8');
  let carry = 0;
  const out: { day: CalendarDay; n: number; insideShare: number }[] = [];
  for (const line of text.trim().split('\n').slice(1)) {
    const cells = line.split(',');
    if (cells[0] > lastDay) continue;
    const exact = Number(cells[4]) * scale + carry;
    const n = Math.floor(exact);
    carry = exact - n;
    const total = Number(cells[4]);
    out.push({ day: cells[0], n, insideShare: total > 0 ? Number(cells[5]) / total : 0 });
  }
  return out;
}

/** Distinct random residents with what intake and transfer read about them. */
async function sampleResidents(ctx: AppContext, r: Random, wanted: number): Promise<Resident[]> {
  const db = ctx.store.db;
  const range = await db
    .selectFrom('people')
    .select((eb) => [eb.fn.min('id').as('lo'), eb.fn.max('id').as('hi')])
    .executeTakeFirstOrThrow();
  const lo = Number(range.lo);
  const hi = Number(range.hi);
  const seen = new Set<number>();
  const out: Resident[] = [];
  while (out.length < wanted) {
    const ids: number[] = [];
    while (ids.length < 900) {
      const id = r.int(lo, hi);
      if (!seen.has(id)) {
        seen.add(id);
        ids.push(id);
      }
    }
    const rows = await db
      .selectFrom('people')
      .select([
        'id',
        'district_id',
        'street_id',
        'committee_id',
        'household_id',
        'place_id',
        'birth_year',
        'vulnerable',
      ])
      .where('id', 'in', ids)
      .where('place_id', 'is not', null)
      .execute();
    // In the order drawn: PostgreSQL returns `in (…)` rows in no set order, and the run must not vary.
    const byId = new Map(rows.map((p) => [p.id, p]));
    for (const id of ids) {
      const p = byId.get(id);
      if (!p) continue;
      if (out.length >= wanted) break;
      out.push({
        personId: p.id,
        districtId: p.district_id,
        streetId: p.street_id,
        committeeId: p.committee_id,
        householdId: p.household_id,
        placeId: p.place_id,
        birthYear: p.birth_year,
        vulnerable: p.vulnerable,
      });
    }
  }
  return out;
}

/** The day's positives: sampled the day before (the round), resulted through the peak day's morning. */
function todaysPositives(r: Random, residents: Resident[], day: CalendarDay): PeakPositive[] {
  return residents.map((p, i) => {
    const sampledAt = atLocalTime('2022-04-12', 6, 0, TZ) + r.int(0, 14 * 60) * 60_000;
    const reportedAt = atLocalTime(day, 0, 30, TZ) + r.int(0, 9 * 60) * 60_000;
    return {
      ...p,
      tubeCode: `PK${String(i).padStart(7, '0')}`,
      sampledAt,
      reportedAt,
      insideControl: r.chance(DAY_INSIDE_SHARE),
    };
  });
}

/**
 * Control at sampling for the day's positives that were found inside: most live in sealed
 * buildings (封控), some were close contacts already in quarantine.
 */
async function controlForToday(ctx: AppContext, r: Random, today: PeakPositive[]): Promise<void> {
  const rows = today
    .filter((p) => p.insideControl)
    .map((p) => {
      const quarantine = r.chance(0.15);
      return {
        district_id: p.districtId,
        person_id: p.personId,
        kind: quarantine ? ('quarantine' as const) : ('sealed_residence' as const),
        from_at: atLocalTime('2022-04-05', 12, 0, TZ) + r.int(0, 6 * 24) * 3_600_000,
        until_at: null,
        source_type: quarantine ? 'bench_contact' : 'bench_zone',
        source_id: `peak-${p.personId}`,
        ended_reason: null,
        created_at: atLocalTime('2022-04-05', 12, 0, TZ),
      };
    });
  for (let i = 0; i < rows.length; i += 500) {
    await ctx.store.db
      .insertInto('control_episodes')
      .values(rows.slice(i, i + 500))
      .execute();
  }
}

export async function buildPeakCaseState(
  ctx: AppContext,
  options: { scale: number; seed: number; day?: CalendarDay },
): Promise<PeakCaseState> {
  const started = performance.now();
  const day = options.day ?? PEAK_DAY;
  const r = new Random(`cases-peak:${options.seed}`);
  const todayCount = Math.round(DAY_CASES * options.scale);
  const curve = dailyCurve(options.scale, '2022-04-12');
  const priorTotal = Math.max(0, Math.round(WAVE_CASES * options.scale) - todayCount);
  // The curve's scaled days to 12 April sum to about the same; trim or pad the last day to match.
  const priorDays: { day: CalendarDay; insideShare: number }[] = [];
  for (const d of curve) for (let k = 0; k < d.n && priorDays.length < priorTotal; k++) priorDays.push(d);
  while (priorDays.length < priorTotal) priorDays.push(curve[curve.length - 1]);
  const contacts = Math.round(priorTotal * 0.25);

  const residents = await sampleResidents(ctx, r.fork('residents'), priorTotal + contacts + todayCount);
  const prior: PriorCase[] = priorDays.map((d, i) => ({
    ...residents[i],
    sampledAt: atLocalTime(d.day, 8, 0, TZ) + r.int(0, 10 * 60) * 60_000,
    inside: r.chance(d.insideShare),
  }));
  const contactPeople = residents.slice(priorTotal, priorTotal + contacts);
  const today = todaysPositives(r.fork('today'), residents.slice(priorTotal + contacts), day);
  const stays = await loadPriorStays(ctx, {
    prior,
    contacts: contactPeople,
    now: atLocalTime(day, 0, 0, TZ),
    timeZone: TZ,
  });
  await controlForToday(ctx, r.fork('control'), today);
  return {
    today,
    priorCases: prior.length,
    priorAdmitted: stays.admittedCases,
    contactsInQuarantine: stays.admittedContacts,
    seconds: (performance.now() - started) / 1000,
  };
}
