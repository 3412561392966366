import { sql } from 'kysely';
import type { BulletinInput } from '../../domain/command/bulletin.ts';
import { endOfDay, startOfDay, type CalendarDay } from '../../domain/time/calendar.ts';
import { caseCountsByClass } from '../../store/cases/figures.ts';
import type {} from '../../store/cases/tables.ts';
import type {} from '../../store/zones/tables.ts';
import type { Db } from '../../store/cases/db.ts';

/**
 * The counts a day's bulletin is made of, read from each capability's tables:
 * - new positives: cases confirmed (reported) that day by district and classification — the
 *   cases capability's own daily split (`caseCountsByClass`);
 * - discharged and deaths: cases that reached those states during the day;
 * - zones: each designation's level after its last change before 24:00 (zone_changes keeps every
 *   change, so a past day is read as it stood);
 * - places: the residence of each case reported that day, at compound level (the building's
 *   compound, or the building when it has none) — a place, never a person or a flat.
 */
export async function bulletinCounts(
  db: Db,
  tz: string,
  day: CalendarDay,
): Promise<Pick<BulletinInput, 'newCases' | 'ended' | 'zones' | 'places'>> {
  const from = startOfDay(day, tz);
  const before = endOfDay(day, tz);
  const newCases = (await caseCountsByClass(db, day, null)).map((r) => ({
    ...r,
    districtId: Number(r.districtId),
  }));
  const ended = await db
    .selectFrom('cases')
    .select((eb) => ['district_id', 'state', eb.fn.countAll<number>().as('n')])
    .where('state', 'in', ['discharged', 'died'])
    .where('state_at', '>=', from)
    .where('state_at', '<', before)
    .groupBy(['district_id', 'state'])
    .execute();
  const lastChange = db
    .selectFrom('zone_changes')
    .select((eb) => [eb.fn.max('id').as('id')])
    .where('at', '<', before)
    .groupBy('designation_id');
  const zones = await db
    .selectFrom('zone_changes as c')
    .select((eb) => ['c.district_id', 'c.to_level', eb.fn.countAll<number>().as('n')])
    .where('c.id', 'in', lastChange)
    .groupBy(['c.district_id', 'c.to_level'])
    .execute();
  const places = await db
    .selectFrom('cases as k')
    .innerJoin('places as b', 'b.id', 'k.place_id')
    .leftJoin('places as c', 'c.id', 'b.parent_place_id')
    .select([
      'k.district_id',
      sql<string>`coalesce(${sql.ref('c.name')}, ${sql.ref('b.name')})`.as('name'),
      sql<string>`coalesce(${sql.ref('c.address')}, ${sql.ref('b.address')})`.as('address'),
    ])
    .where('k.reported_day', '=', day)
    .distinct()
    .execute();
  return {
    newCases,
    ended: ended.map((r) => ({
      districtId: Number(r.district_id),
      outcome: r.state === 'died' ? ('died' as const) : ('discharged' as const),
      n: Number(r.n),
    })),
    zones: zones.map((r) => ({ districtId: Number(r.district_id), level: r.to_level, n: Number(r.n) })),
    places: places.map((r) => ({ districtId: Number(r.district_id), name: r.name, address: r.address })),
  };
}
