import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Insertable } from 'kysely';
import type { AppContext } from '../../src/app/context.ts';
import { Random } from '../../src/domain/random.ts';
import type { ZonesSection } from '../../src/domain/rules/zones-schema.ts';
import { atLocalTime, endOfDay, startOfDay, type CalendarDay } from '../../src/domain/time/calendar.ts';
import { calendarDayOf, testDaysAhead } from '../../src/domain/zones/conditions.ts';
import { isActive, sealUnitOf } from '../../src/domain/zones/on-positive.ts';
import { dayTestSourceId, ZONE_DAY_TEST_SOURCE } from '../../src/store/zones/places.ts';
import type { ZoneDesignationTable, ZonePositiveTable } from '../../src/store/zones/tables.ts';
import { simulateWave, type WaveCase } from './simulate.ts';

/**
 * Zones' part of "the city in the state of the 13 April 2022 peak" (../shared/SPEC.md,
 * Benchmarks): the wave's 282,180 × S positives to that day, dated by the daily curve
 * (reference/shanghai_daily_2022.csv), living where they live — most in a building that already
 * had one (the wave spread inside sealed compounds: 97 % were found under control) — and the
 * designations the rules made of them, with the day-N tests of places whose test day is past.
 * Written straight to the tables before any timing starts.
 */
const HERE = path.dirname(fileURLToPath(import.meta.url));
const TZ = 'Asia/Shanghai';
const FIRST_DAY = '2022-03-01';

export interface ZoneWave {
  cases: number;
  designations: number;
  active: number;
  holds: number;
  dayTestOrders: number;
  simulateSeconds: number;
}

function dailyCounts(scale: number, lastDay: CalendarDay): [CalendarDay, number][] {
  const text = fs.readFileSync(path.join(HERE, '../../reference/shanghai_daily_2022.csv'), 'utf8');
  const rows = text
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));
  let carry = 0;
  const out: [CalendarDay, number][] = [];
  for (const row of rows) {
    if (row[0] < FIRST_DAY || row[0] > lastDay) continue;
    // Scaled with the remainder carried, so the total is the scaled total.
    const exact = Number(row[4]) * scale + carry;
    const n = Math.floor(exact);
    carry = exact - n;
    out.push([row[0], n]);
  }
  return out;
}

async function randomResidents(ctx: AppContext, r: Random, wanted: number) {
  const range = await ctx.store.db
    .selectFrom('households')
    .select((eb) => [eb.fn.min('id').as('lo'), eb.fn.max('id').as('hi')])
    .executeTakeFirstOrThrow();
  const ids = Array.from({ length: wanted }, () => r.int(Number(range.lo), Number(range.hi)));
  const out: { personId: number; districtId: number; buildingId: number }[] = [];
  for (let i = 0; i < ids.length; i += 900) {
    const rows = await ctx.store.db
      .selectFrom('people')
      .select(['id', 'district_id', 'place_id', 'household_id'])
      .where('household_id', 'in', ids.slice(i, i + 900))
      .where('place_id', 'is not', null)
      .execute();
    const byHousehold = new Map<number, (typeof rows)[number]>();
    for (const p of rows) if (!byHousehold.has(p.household_id!)) byHousehold.set(p.household_id!, p);
    for (const p of byHousehold.values()) {
      out.push({ personId: p.id, districtId: p.district_id, buildingId: p.place_id! });
    }
  }
  return out;
}

export async function loadZoneWave(
  ctx: AppContext,
  zones: ZonesSection,
  options: { scale: number; seed: number; day: CalendarDay },
): Promise<ZoneWave> {
  const r = new Random(`zones-bench:${options.seed}`);
  const counts = dailyCounts(options.scale, options.day);
  const total = counts.reduce((s, [, n]) => s + n, 0);
  const fresh = await randomResidents(ctx, r.fork('residents'), Math.ceil(total * 0.45) + 50);
  const places = new Map<
    number,
    { parent: number | null; district: number; street: number; committee: number | null; kind: string }
  >();
  const buildingIds = [...new Set(fresh.map((f) => f.buildingId))];
  for (let i = 0; i < buildingIds.length; i += 900) {
    for (const p of await ctx.store.db
      .selectFrom('places')
      .select(['id', 'parent_place_id', 'district_id', 'street_id', 'committee_id', 'kind'])
      .where('id', 'in', buildingIds.slice(i, i + 900))
      .execute()) {
      places.set(p.id, {
        parent: p.parent_place_id,
        district: p.district_id,
        street: p.street_id,
        committee: p.committee_id,
        kind: p.kind,
      });
    }
  }

  // Cases: ~55 % in a building that already had a case (the wave's clusters), the rest anywhere.
  const cases: WaveCase[] = [];
  let freshIndex = 0;
  for (const [day, n] of counts) {
    for (let k = 0; k < n; k++) {
      const reuse = cases.length > 0 && (r.float() < 0.55 || freshIndex >= fresh.length);
      const who = reuse ? cases[Math.floor(r.float() * cases.length)] : null;
      const f = who ? null : fresh[freshIndex++];
      const buildingId = who ? who.residence.buildingId : f!.buildingId;
      cases.push({
        caseId: String(cases.length + 1),
        personId: who ? who.personId : f!.personId,
        districtId: who ? who.districtId : f!.districtId,
        residence: { buildingId, compoundId: places.get(buildingId)?.parent ?? null },
        sampledDay: day,
      });
    }
  }

  const started = performance.now();
  const sim = simulateWave(zones, cases, FIRST_DAY, options.day, options.seed);
  const simulateSeconds = (performance.now() - started) / 1000;

  // Compounds' own rows (district, street) for their designations.
  const compoundIds = [
    ...new Set(
      cases.map((c) => c.residence.compoundId).filter((c): c is number => c != null && !places.has(c)),
    ),
  ];
  for (let i = 0; i < compoundIds.length; i += 900) {
    for (const p of await ctx.store.db
      .selectFrom('places')
      .select(['id', 'parent_place_id', 'district_id', 'street_id', 'committee_id', 'kind'])
      .where('id', 'in', compoundIds.slice(i, i + 900))
      .execute()) {
      places.set(p.id, {
        parent: p.parent_place_id,
        district: p.district_id,
        street: p.street_id,
        committee: p.committee_id,
        kind: p.kind,
      });
    }
  }

  const db = ctx.store.db;
  const now = atLocalTime(options.day, 0, 30, TZ);
  const positives: Insertable<ZonePositiveTable>[] = cases.map((c) => ({
    district_id: c.districtId,
    case_id: c.caseId,
    person_id: c.personId,
    building_id: c.residence.buildingId,
    compound_id: c.residence.compoundId,
    unit_place_id: sealUnitOf(c.residence, zones),
    sampled_at: atLocalTime(c.sampledDay, 9, 0, TZ),
    sampled_day: c.sampledDay,
    recorded_at: now,
  }));
  for (let i = 0; i < positives.length; i += 500) {
    await db
      .insertInto('zone_positives')
      .values(positives.slice(i, i + 500))
      .execute();
  }

  const rows: Insertable<ZoneDesignationTable>[] = sim.designations.map((d) => {
    const p = places.get(d.placeId)!;
    return {
      id: d.id,
      district_id: p.district,
      street_id: p.street,
      committee_id: p.committee,
      place_id: d.placeId,
      place_kind: p.kind,
      parent_place_id: p.parent,
      level: d.level,
      phase: d.phase,
      period_start_day: d.periodStartDay,
      since_at: startOfDay(d.periodStartDay, TZ),
      level_since_at: startOfDay(d.periodStartDay, TZ),
      last_positive_day: d.lastPositiveDay,
      cause_case_ids: JSON.stringify(d.causeCaseIds),
      hold_compound_designation_id: d.hold?.compoundDesignationId ?? null,
      hold_until_day: d.hold?.untilDay ?? null,
      rule_set: 'shanghai-2022-04-11@1',
      created_at: now,
      updated_at: now,
    };
  });
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('zone_designations')
      .values(rows.slice(i, i + 500))
      .execute();
  }

  const dayTestOrders = await loadDayTests(ctx, zones, sim, options.day);
  const active = sim.designations.filter(isActive);
  return {
    cases: cases.length,
    designations: sim.designations.length,
    active: active.length,
    holds: active.filter((d) => d.hold).length,
    dayTestOrders,
    simulateSeconds,
  };
}

/**
 * The day-N tests the morning's evaluation will ask about: residents of active places whose
 * test day is past, each with a negative on the day — but one missing where the place missed.
 */
async function loadDayTests(
  ctx: AppContext,
  zones: ZonesSection,
  sim: ReturnType<typeof simulateWave>,
  today: CalendarDay,
): Promise<number> {
  let written = 0;
  for (const d of sim.designations) {
    if (!isActive(d) || d.hold) continue;
    const days = zones.transitions
      .filter((t) => t.from.level === d.level && t.from.phase === d.phase)
      .flatMap((t) => testDaysAhead(t.when));
    for (const n of days) {
      const day = calendarDayOf(d, n);
      if (day >= today) continue;
      const buildings = await ctx.store.db
        .selectFrom('places')
        .select('id')
        .where('parent_place_id', '=', d.placeId)
        .execute();
      const residents = await ctx.store.db
        .selectFrom('people')
        .select(['id', 'district_id'])
        .where('place_id', 'in', [d.placeId, ...buildings.map((b) => b.id)])
        .execute();
      const sampled = atLocalTime(day, 8, 0, TZ);
      const orders = residents.map((p, i) => ({
        district_id: p.district_id,
        person_id: p.id,
        reason: 'screening_duty' as const,
        due_at: endOfDay(day, TZ),
        not_before_at: startOfDay(day, TZ),
        source_type: ZONE_DAY_TEST_SOURCE,
        source_id: dayTestSourceId(d.id, d.periodStartDay, n),
        status: sim.missedTests.has(d.id) && i === 0 ? ('open' as const) : ('fulfilled' as const),
        fulfilled_at: sim.missedTests.has(d.id) && i === 0 ? null : sampled,
        fulfilled_by: 'bench',
        overdue_at: null,
        cancelled_reason: null,
        created_at: startOfDay(day, TZ),
      }));
      for (let i = 0; i < orders.length; i += 500) {
        await ctx.store.db
          .insertInto('test_orders')
          .values(orders.slice(i, i + 500))
          .execute();
      }
      written += orders.length;
    }
  }
  return written;
}
