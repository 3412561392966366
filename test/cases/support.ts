import { inTransaction } from '../../src/app/context.ts';
import { openEpisode } from '../../src/app/kernel/control-episodes.ts';
import { createFacility, type NewFacilityInput } from '../../src/app/cases/facilities.ts';
import type { FacilityInfo } from '../../src/app/cases/facilities-cache.ts';
import { SYSTEM_ACTOR } from '../../src/app/cases/actor.ts';
import type { Principal } from '../../src/domain/access/principal.ts';
import type { ControlKind } from '../../src/domain/kernel/control-episodes.ts';
import { FIXTURE } from '../support/fixture.ts';
import type { TestContext } from '../support/harness.ts';

/** Principals and helpers shared by the cases tests (fixture city: districts 10 and 20). */
export const P = {
  city: {
    userId: 1,
    username: 'city',
    role: 'city_command',
    scope: { kind: 'region', regionId: FIXTURE.city },
  },
  districtA: {
    userId: 10,
    username: 'huangpu',
    role: 'district_command',
    scope: { kind: 'region', regionId: FIXTURE.districtA },
  },
  districtB: {
    userId: 20,
    username: 'xuhui',
    role: 'district_command',
    scope: { kind: 'region', regionId: FIXTURE.districtB },
  },
  streetA1: {
    userId: 11,
    username: 'nanjing-east',
    role: 'street_staff',
    scope: { kind: 'region', regionId: FIXTURE.streetA1 },
  },
  lab: {
    userId: 40,
    username: 'lab',
    role: 'lab',
    scope: { kind: 'organisation', organisationId: FIXTURE.labA },
  },
} satisfies Record<string, Principal>;

export function facilityStaff(organisationId: number): Principal {
  return {
    userId: 50 + organisationId,
    username: `facility-${organisationId}`,
    role: 'facility',
    scope: { kind: 'organisation', organisationId },
  };
}

export function transportCrew(organisationId: number): Principal {
  return {
    userId: 70 + organisationId,
    username: `crew-${organisationId}`,
    role: 'transfer',
    scope: { kind: 'organisation', organisationId },
  };
}

export const HOUR = 3_600_000;

/** A facility with beds, created through the service (so its organisation exists too). */
export async function addFacility(
  ctx: TestContext,
  input: Partial<NewFacilityInput> & Pick<NewFacilityInput, 'kind' | 'beds'>,
): Promise<FacilityInfo> {
  const admits: Record<string, string[]> = {
    shelter_hospital: ['case_asymptomatic', 'case_mild'],
    designated_hospital: ['case_mild', 'case_severe', 'case_critical'],
    quarantine_hotel: ['close_contact', 'secondary_contact'],
    observation_point: ['close_contact', 'secondary_contact'],
  };
  return inTransaction(ctx, (uow) =>
    createFacility(
      ctx,
      uow,
      {
        name: input.name ?? `${input.kind} ${Math.random().toString(36).slice(2, 6)}`,
        districtId: input.districtId ?? FIXTURE.districtA,
        streetId: input.streetId ?? null,
        staff: input.staff ?? 10,
        admits: input.admits ?? admits[input.kind],
        lng: input.lng ?? 121.48,
        lat: input.lat ?? 31.23,
        ...input,
      },
      SYSTEM_ACTOR,
    ),
  );
}

/** A transport team (organisation kind `transport`). */
export async function addTransportTeam(
  ctx: TestContext,
  id: number,
  districtId: number = FIXTURE.districtA,
): Promise<number> {
  await ctx.store.db
    .insertInto('organisations')
    .values({
      id,
      district_id: districtId,
      street_id: null,
      kind: 'transport',
      name: `转运队 ${id}`,
      place_id: null,
      sector: 'transfer',
      daily_capacity: 20,
    })
    .execute();
  return id;
}

export async function putUnderControl(
  ctx: TestContext,
  personId: number,
  kind: ControlKind,
  from: number,
  until: number | null = null,
  sourceId = `t-${personId}-${kind}-${from}`,
) {
  await inTransaction(ctx, (uow) =>
    openEpisode(uow, { personId, kind, from, until, source: { type: 'test', id: sourceId } }),
  );
}

/** Publishes screening's `result.positive` and lets every consumer catch up. */
export async function publishPositive(
  ctx: TestContext,
  r: { personId: number; tubeCode: string; sampledAt: number; resultedAt: number; ct?: number },
  times = 1,
) {
  for (let i = 0; i < times; i++) {
    await inTransaction(ctx, async (uow) => {
      uow.publish({
        type: 'result.positive',
        occurredAt: r.resultedAt,
        regionIds: [FIXTURE.streetA1],
        personId: r.personId,
        payload: {
          personId: r.personId,
          tubeCode: r.tubeCode,
          roundId: 'R1',
          sampledAt: r.sampledAt,
          resultedAt: r.resultedAt,
          ct: r.ct ?? 24,
          regionIds: [FIXTURE.streetA1],
        },
      });
    });
  }
  await ctx.events.drain();
}

let nextPersonId = 1000;

/** Extra residents of a street (the fixture has five people; clearing and capacity tests need more). */
export async function addPeople(
  ctx: TestContext,
  n: number,
  where: { districtId: number; streetId: number; committeeId: number; placeId: number },
): Promise<number[]> {
  const ids: number[] = [];
  const rows = [];
  for (let i = 0; i < n; i++) {
    const id = nextPersonId++;
    ids.push(id);
    rows.push({
      id,
      district_id: where.districtId,
      street_id: where.streetId,
      committee_id: where.committeeId,
      household_id: null,
      place_id: where.placeId,
      ref: `ref-x-${id}`,
      id_hash: null,
      name: null,
      phone: null,
      birth_year: 1990,
      sex: null,
      floor: null,
      workplace_org_id: null,
      occupation: null,
      vulnerable: '',
      created_at: ctx.clock.now(),
      last_activity_at: null,
      purged_at: null,
    });
  }
  for (let i = 0; i < rows.length; i += 200) {
    await ctx.store.db
      .insertInto('people')
      .values(rows.slice(i, i + 200))
      .execute();
  }
  return ids;
}

export const PEOPLE_A = {
  districtId: FIXTURE.districtA,
  streetId: FIXTURE.streetA1,
  committeeId: FIXTURE.committeeA1,
  placeId: FIXTURE.buildingA1,
};
export const PEOPLE_B = {
  districtId: FIXTURE.districtB,
  streetId: FIXTURE.streetB1,
  committeeId: FIXTURE.committeeB1,
  placeId: FIXTURE.buildingB1,
};
