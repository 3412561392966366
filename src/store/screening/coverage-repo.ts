import { sql, type Expression, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { Round } from '../../domain/screening/round.ts';
import type { Database } from '../schema.ts';

/**
 * 应检 / 未检 for a round: residents in the round's scope and the caller's area, minus people
 * in isolation (or hospital) at the time asked, and which of them have a screening sample in
 * the round. One pass over the area's people with an index probe into scans per person.
 */
type Db = Kysely<Database> | Transaction<Database>;

export type RegionLevel = 'city' | 'district' | 'street' | 'committee';
export interface AreaFilter {
  level: RegionLevel;
  id: number;
}

const COLUMN: Record<Exclude<RegionLevel, 'city'>, 'p.district_id' | 'p.street_id' | 'p.committee_id'> = {
  district: 'p.district_id',
  street: 'p.street_id',
  committee: 'p.committee_id',
};

function areaCondition(area: AreaFilter) {
  return area.level === 'city'
    ? sql<SqlBool>`1 = 1`
    : sql<SqlBool>`${sql.ref(COLUMN[area.level])} = ${area.id}`;
}

/** The round's scope as a condition on people: any listed region (by its level) or place (a building, or a compound's buildings). */
function scopeCondition(round: Round, levels: Map<number, RegionLevel>): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [];
  for (const id of round.scope.regionIds) {
    parts.push(areaCondition({ level: levels.get(id) ?? 'committee', id }));
  }
  if (round.scope.placeIds.length > 0) {
    const ids = sql.join(round.scope.placeIds);
    parts.push(
      sql<SqlBool>`(p.place_id in (${ids}) or p.place_id in (select id from places where parent_place_id in (${ids})))`,
    );
  }
  if (parts.length === 0) return sql<SqlBool>`1 = 0`;
  return sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
}

const isolated = (at: number) =>
  sql<SqlBool>`exists (select 1 from control_episodes e where e.person_id = p.id and e.district_id = p.district_id and e.kind = 'isolation' and e.from_at <= ${at} and (e.until_at is null or e.until_at > ${at}))`;

function base(db: Db, round: Round, levels: Map<number, RegionLevel>, area: AreaFilter) {
  return db
    .selectFrom('people as p')
    .leftJoin('scans as s', (j) =>
      j
        .onRef('s.district_id', '=', 'p.district_id')
        .onRef('s.person_id', '=', 'p.id')
        .on('s.round_id', '=', round.id)
        .on('s.slot', '=', 0),
    )
    .where('p.purged_at', 'is', null)
    .where(scopeCondition(round, levels))
    .where(areaCondition(area));
}

export interface CoverageRow {
  key: number | null;
  residents: number;
  isolated: number;
  tested: number;
}

/** Counts per child of the area (`groupBy` column): residents, isolated (not due), tested. */
export async function coverageByChild(
  db: Db,
  round: Round,
  levels: Map<number, RegionLevel>,
  area: AreaFilter,
  groupBy: 'p.district_id' | 'p.street_id' | 'p.committee_id' | 'p.place_id',
  at: number,
): Promise<CoverageRow[]> {
  const rows = await base(db, round, levels, area)
    .select([
      sql<number | null>`${sql.ref(groupBy)}`.as('key'),
      sql<number>`count(*)`.as('residents'),
      sql<number>`sum(case when ${isolated(at)} then 1 else 0 end)`.as('isolated'),
      sql<number>`sum(case when s.id is not null then 1 else 0 end)`.as('tested'),
    ])
    .groupBy(sql.ref(groupBy))
    .execute();
  return rows.map((r) => ({
    key: r.key == null ? null : Number(r.key),
    residents: Number(r.residents),
    isolated: Number(r.isolated),
    tested: Number(r.tested),
  }));
}

export interface UntestedPerson {
  personId: number;
  householdId: number | null;
  placeId: number | null;
}

/** Untested people who are due (not isolated), by household then person, after a household cursor. */
export async function untestedPeople(
  db: Db,
  round: Round,
  levels: Map<number, RegionLevel>,
  area: AreaFilter,
  at: number,
  afterHousehold: number,
  limit: number,
): Promise<UntestedPerson[]> {
  const rows = await base(db, round, levels, area)
    .select(['p.id', 'p.household_id', 'p.place_id'])
    .where('s.id', 'is', null)
    .where(sql<SqlBool>`not ${isolated(at)}`)
    .where(sql<SqlBool>`coalesce(p.household_id, 0) > ${afterHousehold}`)
    .orderBy(sql`coalesce(p.household_id, 0)`)
    .orderBy('p.id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    personId: Number(r.id),
    householdId: r.household_id == null ? null : Number(r.household_id),
    placeId: r.place_id == null ? null : Number(r.place_id),
  }));
}

export async function placesNamed(db: Db, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('places')
    .select(['id', 'name', 'address', 'kind', 'parent_place_id'])
    .where('id', 'in', [...ids])
    .execute();
}

export async function householdsNamed(db: Db, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('households')
    .select(['id', 'place_id', 'floor', 'room'])
    .where('id', 'in', [...ids])
    .execute();
}
