import { sql } from 'kysely';
import type { Db } from '../zones/designations.ts';

/**
 * 应检未检 lists: people with an open screening-duty order past its deadline (plus grace), with
 * what groups them on the street's work list — household, building, employer. Keyset-paged by
 * person id so an export of a whole district streams in flat memory.
 */
export interface OverduePerson {
  personId: number;
  districtId: number;
  streetId: number;
  committeeId: number | null;
  householdId: number | null;
  buildingId: number | null;
  employerId: number | null;
  occupation: string | null;
  /** The earliest missed deadline. */
  firstDueAt: number;
  openDuties: number;
}

/** Where the list is cut: a region's column, or an employer's workers. */
export type OverdueScope =
  | { kind: 'all' }
  | { kind: 'district'; districtId: number }
  | { kind: 'street'; districtId: number; streetId: number }
  | { kind: 'committee'; districtId: number; committeeId: number }
  | { kind: 'employer'; organisationId: number };

export async function overduePage(
  db: Db,
  scope: OverdueScope,
  lateBefore: number,
  afterPersonId: number,
  limit: number,
): Promise<OverduePerson[]> {
  const rows = await db
    .selectFrom('test_orders as t')
    .innerJoin('people as p', (j) =>
      j.onRef('p.id', '=', 't.person_id').onRef('p.district_id', '=', 't.district_id'),
    )
    .select([
      't.person_id',
      'p.district_id',
      'p.street_id',
      'p.committee_id',
      'p.household_id',
      'p.place_id',
      'p.workplace_org_id',
      'p.occupation',
      sql<number>`min(t.due_at)`.as('first_due'),
      sql<number>`count(*)`.as('n'),
    ])
    .where('t.status', '=', 'open')
    .where('t.reason', '=', 'screening_duty')
    .where('t.due_at', '<', lateBefore)
    .where('t.person_id', '>', afterPersonId)
    .$call((q) => {
      switch (scope.kind) {
        case 'all':
          return q;
        case 'district':
          return q.where('t.district_id', '=', scope.districtId);
        case 'street':
          return q.where('t.district_id', '=', scope.districtId).where('p.street_id', '=', scope.streetId);
        case 'committee':
          return q
            .where('t.district_id', '=', scope.districtId)
            .where('p.committee_id', '=', scope.committeeId);
        case 'employer':
          return q.where('p.workplace_org_id', '=', scope.organisationId);
      }
    })
    .groupBy([
      't.person_id',
      'p.district_id',
      'p.street_id',
      'p.committee_id',
      'p.household_id',
      'p.place_id',
      'p.workplace_org_id',
      'p.occupation',
    ])
    .orderBy('t.person_id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    personId: r.person_id,
    districtId: r.district_id,
    streetId: r.street_id,
    committeeId: r.committee_id,
    householdId: r.household_id,
    buildingId: r.place_id,
    employerId: r.workplace_org_id,
    occupation: r.occupation,
    firstDueAt: Number(r.first_due),
    openDuties: Number(r.n),
  }));
}

/** Names of the buildings and employers on a page (places and organisations, never people). */
export async function groupLabels(db: Db, buildingIds: readonly number[], employerIds: readonly number[]) {
  const buildings = new Map<number, string>();
  const employers = new Map<number, string>();
  const b = [...new Set(buildingIds)];
  const e = [...new Set(employerIds)];
  for (let i = 0; i < b.length; i += 500) {
    for (const r of await db
      .selectFrom('places')
      .select(['id', 'name'])
      .where('id', 'in', b.slice(i, i + 500))
      .execute()) {
      buildings.set(r.id, r.name);
    }
  }
  for (let i = 0; i < e.length; i += 500) {
    for (const r of await db
      .selectFrom('organisations')
      .select(['id', 'name'])
      .where('id', 'in', e.slice(i, i + 500))
      .execute()) {
      employers.set(r.id, r.name);
    }
  }
  return { buildings, employers };
}

/** A person's open screening-duty orders (for their compliance state). */
export async function openDutiesOf(db: Db, personId: number) {
  return db
    .selectFrom('test_orders')
    .select(['id', 'due_at', 'not_before_at', 'created_at', 'source_type', 'source_id'])
    .where('person_id', '=', personId)
    .where('status', '=', 'open')
    .where('reason', '=', 'screening_duty')
    .orderBy('due_at')
    .execute();
}
