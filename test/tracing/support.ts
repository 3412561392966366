import { inTransaction } from '../../src/app/context.ts';
import type { Principal } from '../../src/domain/access/principal.ts';
import { FIXTURE } from '../support/fixture.ts';
import type { TestContext } from '../support/harness.ts';

/**
 * Publishes `case.created` the way the cases service does (issue 4's payload), then lets the
 * consumers run. Tracing only ever sees cases through this event.
 */
export async function announceCase(
  ctx: TestContext,
  c: {
    caseId: number;
    personId: number;
    sourceCaseId?: number | null;
    sampledAt?: number;
    reportedAt?: number;
  },
): Promise<void> {
  const person = await ctx.store.db
    .selectFrom('people')
    .selectAll()
    .where('id', '=', c.personId)
    .executeTakeFirstOrThrow();
  await inTransaction(ctx, async (uow) => {
    uow.publish({
      type: 'case.created',
      occurredAt: uow.now,
      regionIds: [person.street_id],
      personId: person.id,
      payload: {
        caseId: c.caseId,
        personId: person.id,
        districtId: person.district_id,
        streetId: person.street_id,
        placeId: person.place_id,
        householdId: person.household_id,
        sampledAt: c.sampledAt ?? uow.now - 6 * 3_600_000,
        reportedAt: c.reportedAt ?? uow.now,
        classification: 'community',
        sourceCaseId: c.sourceCaseId ?? null,
      },
    });
  });
  await ctx.events.drain();
}

export const TRACER_A: Principal = {
  userId: 901,
  username: 'tracer-a',
  role: 'tracer',
  scope: { kind: 'region', regionId: FIXTURE.districtA },
};
export const TRACER_B: Principal = {
  userId: 902,
  username: 'tracer-b',
  role: 'tracer',
  scope: { kind: 'region', regionId: FIXTURE.districtB },
};
export const CITY_ADMIN: Principal = {
  userId: 900,
  username: 'admin',
  role: 'admin',
  scope: { kind: 'region', regionId: FIXTURE.city },
};

/** A venue in district A's street 1 (the fixture has none). */
export const VENUE_A = 3001;
export const VENUE_B = 3002;

export async function addVenues(ctx: TestContext): Promise<void> {
  await ctx.store.db
    .insertInto('places')
    .values([
      {
        id: VENUE_A,
        district_id: FIXTURE.districtA,
        street_id: FIXTURE.streetA1,
        committee_id: FIXTURE.committeeA1,
        kind: 'venue',
        name: '南京东路菜场',
        parent_place_id: null,
        floors: null,
        address: '南京东路1号',
        lng: null,
        lat: null,
      },
      {
        id: VENUE_B,
        district_id: FIXTURE.districtB,
        street_id: FIXTURE.streetB1,
        committee_id: FIXTURE.committeeB1,
        kind: 'venue',
        name: '天平路超市',
        parent_place_id: null,
        floors: null,
        address: '天平路1号',
        lng: null,
        lat: null,
      },
    ])
    .execute();
}
