import { sql } from 'kysely';
import { endOfDay, startOfDay } from '../../domain/time/calendar.ts';
import { calendarDayOf, testDaysAhead } from '../../domain/zones/conditions.ts';
import {
  episodePlan,
  residentZone,
  wantedEpisode,
  ZONE_EPISODE_SOURCE,
  type HeldEpisode,
} from '../../domain/zones/residents.ts';
import type { ControlKind } from '../../domain/kernel/control-episodes.ts';
import { phaseUnder } from '../../domain/zones/proposals.ts';
import { toDesignation, type StoredDesignation } from '../../store/zones/designations.ts';
import {
  dayTestSourceId,
  positivePeopleOfPlaces,
  residentsOf,
  buildingsByPlace,
  buildingsOf,
  ZONE_DAY_TEST_SOURCE,
} from '../../store/zones/places.ts';
import { endEpisodes, openEpisodes, type OpenEpisodeInput } from '../kernel/control-episodes.ts';
import { cancelTestOrders, createTestOrders } from '../kernel/test-orders.ts';
import type { ZoneRuntime } from './runtime.ts';

/**
 * Residents follow their place: each gets (or loses) the sealed- or controlled-residence control
 * episode their strictest covering designation asks for, through the kernel's services so the
 * `control.started` / `control.ended` events go out with the change.
 */
export async function syncResidents(
  rt: ZoneRuntime,
  buildingIds: readonly number[],
): Promise<{ opened: number; ended: number }> {
  if (buildingIds.length === 0) return { opened: 0, ended: 0 };
  const trx = rt.uow.trx;
  const residents = await residentsOf(trx, buildingIds);
  if (residents.length === 0) return { opened: 0, ended: 0 };

  // Chunked: a batch of a district's compounds names more buildings than one statement may bind.
  const parentOf = new Map<number, number | null>();
  for (let i = 0; i < buildingIds.length; i += 500) {
    const rows = await trx
      .selectFrom('places')
      .select(['id', 'parent_place_id'])
      .where('id', 'in', buildingIds.slice(i, i + 500))
      .execute();
    for (const b of rows) parentOf.set(b.id, b.parent_place_id);
  }
  const placeIds = [
    ...new Set([...buildingIds, ...[...parentOf.values()].flatMap((p) => (p == null ? [] : [p]))]),
  ];
  const designations = new Map<number, StoredDesignation>();
  for (let i = 0; i < placeIds.length; i += 500) {
    const rows = await trx
      .selectFrom('zone_designations')
      .selectAll()
      .where('place_id', 'in', placeIds.slice(i, i + 500))
      .execute();
    for (const r of rows) designations.set(r.place_id, toDesignation(r));
  }

  const held = await heldZoneEpisodes(
    rt,
    residents.map((r) => r.personId),
  );
  const toEnd: number[] = [];
  const toOpen: OpenEpisodeInput[] = [];
  for (const r of residents) {
    const parent = parentOf.get(r.placeId) ?? null;
    const zone = residentZone([
      designations.get(r.placeId),
      parent == null ? null : designations.get(parent),
    ]);
    const plan = episodePlan(held.get(r.personId) ?? [], wantedEpisode(rt.zones, zone));
    toEnd.push(...plan.end.map((e) => e.id));
    if (plan.open) {
      toOpen.push({
        personId: r.personId,
        kind: plan.open.kind,
        source: { type: plan.open.sourceType, id: plan.open.sourceId },
      });
    }
  }
  if (toEnd.length) await endEpisodes(rt.uow, { ids: toEnd }, 'the zone of the residence changed');
  if (toOpen.length) await openEpisodes(rt.uow, toOpen);
  return { opened: toOpen.length, ended: toEnd.length };
}

async function heldZoneEpisodes(
  rt: ZoneRuntime,
  personIds: readonly number[],
): Promise<Map<number, HeldEpisode[]>> {
  const out = new Map<number, HeldEpisode[]>();
  const now = rt.uow.now;
  for (let i = 0; i < personIds.length; i += 500) {
    const rows = await rt.uow.trx
      .selectFrom('control_episodes')
      .select(['id', 'person_id', 'kind', 'source_id'])
      .where('person_id', 'in', personIds.slice(i, i + 500))
      // `|| ''` keeps the planner off the (source_type, source_id) index: SQLite's sampled
      // statistics (analysis_limit) rate one source type at a few hundred rows where it has
      // hundreds of thousands, and it read every zone episode for 500 people (13 % of a
      // simulated April). The person index finds each person's few episodes.
      .where(sql`source_type || ''`, '=', ZONE_EPISODE_SOURCE)
      .where('ended_reason', 'is', null)
      .where((eb) => eb.or([eb('until_at', 'is', null), eb('until_at', '>', now)]))
      .execute();
    for (const r of rows) {
      const list = out.get(r.person_id) ?? [];
      list.push({ id: r.id, kind: r.kind as ControlKind, sourceId: r.source_id });
      out.set(r.person_id, list);
    }
  }
  return out;
}

/**
 * Orders the day-N tests a designation's way out needs ("everyone negative on day 13"): one
 * screening-duty order per resident who is not one of its positives, open only on that day.
 * Orders for the state it left are cancelled. Many moves at once: residents, positives and the
 * orders of all of them are read and written in set statements.
 */
export async function orderDayTests(
  rt: ZoneRuntime,
  moves: readonly { before: StoredDesignation | null; after: StoredDesignation }[],
): Promise<number> {
  const tz = rt.ctx.config.timeZone;
  const days = (d: StoredDesignation) =>
    d.hold
      ? []
      : rt.zones.transitions
          .filter((t) => {
            const phase = phaseUnder(rt.zones, d);
            return t.from.level === phase.level && t.from.phase === phase.phase;
          })
          .flatMap((t) => testDaysAhead(t.when));
  const sources = (d: StoredDesignation) =>
    new Set(days(d).map((n) => dayTestSourceId(d.id, d.periodStartDay, n)));
  const todayStart = startOfDay(rt.today, tz);
  const ordering: { after: StoredDesignation; futureDays: number[] }[] = [];
  for (const { before, after } of moves) {
    const wanted = sources(after);
    for (const id of before ? sources(before) : []) {
      if (!wanted.has(id)) {
        await cancelTestOrders(
          rt.uow,
          { source: { type: ZONE_DAY_TEST_SOURCE, id } },
          'the zone moved on; this day test is no longer needed',
        );
      }
    }
    const futureDays = days(after).filter((n) => startOfDay(calendarDayOf(after, n), tz) >= todayStart);
    if (futureDays.length) ordering.push({ after, futureDays });
  }
  if (ordering.length === 0) return 0;
  const placeIds = ordering.map((o) => o.after.placeId);
  const buildings = await buildingsByPlace(rt.uow.trx, placeIds);
  const residents = await residentsOf(rt.uow.trx, [...new Set([...buildings.values()].flat())]);
  const byBuilding = new Map<number, number[]>();
  for (const r of residents) {
    const list = byBuilding.get(r.placeId) ?? [];
    list.push(r.personId);
    byBuilding.set(r.placeId, list);
  }
  const positives = await positivePeopleOfPlaces(rt.uow.trx, placeIds);
  const inputs = ordering.flatMap(({ after, futureDays }) => {
    const skip = positives.get(after.placeId) ?? new Set<number>();
    const tested = (buildings.get(after.placeId) ?? [])
      .flatMap((b) => byBuilding.get(b) ?? [])
      .filter((personId) => !skip.has(personId));
    return futureDays.flatMap((n) => {
      const day = calendarDayOf(after, n);
      return tested.map((personId) => ({
        personId,
        reason: 'screening_duty' as const,
        notBefore: startOfDay(day, tz),
        dueAt: endOfDay(day, tz),
        source: { type: ZONE_DAY_TEST_SOURCE, id: dayTestSourceId(after.id, after.periodStartDay, n) },
      }));
    });
  });
  await createTestOrders(rt.uow, inputs);
  return inputs.length;
}

/** Residents of a place (a compound counts its buildings'), for counts and coverage of empty places. */
export async function residentCount(rt: Pick<ZoneRuntime, 'uow'>, placeId: number): Promise<number> {
  const buildings = await buildingsOf(rt.uow.trx, placeId);
  const row = await rt.uow.trx
    .selectFrom('people')
    .select(sql<number>`count(*)`.as('n'))
    .where('place_id', 'in', buildings)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
