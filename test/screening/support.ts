import crypto from 'node:crypto';
import { encodePersonCode } from '../../src/app/access/person-code.ts';
import { issueToken } from '../../src/app/access/tokens.ts';
import { createUser, principalOf, type CreateUserInput } from '../../src/app/access/users.ts';
import type { AppContext } from '../../src/app/context.ts';
import { buildServer, type CordonApp } from '../../src/api/server.ts';
import { FIXTURE, loadFixture } from '../support/fixture.ts';

/**
 * The screening world over the fixture city: a sampling organisation with a fixed site and a
 * door-to-door team in district A, a site in district B, a transport team, and 40 more residents
 * in building A2 (households of 2) so pools can fill.
 */
export const S = {
  samplingOrg: 600,
  samplingOrgB: 601,
  transportOrg: 602,
  siteA: 700,
  siteDoor: 701,
  siteB: 702,
  extraFirst: 100,
  extraCount: 40,
} as const;

export const USERS = {
  admin: { role: 'admin', regionId: FIXTURE.city },
  cmdA: { role: 'district_command', regionId: FIXTURE.districtA },
  cmdB: { role: 'district_command', regionId: FIXTURE.districtB },
  streetA1: { role: 'street_staff', regionId: FIXTURE.streetA1 },
  sampler: { role: 'sampler', organisationId: S.samplingOrg },
  samplerB: { role: 'sampler', organisationId: S.samplingOrgB },
  lab: { role: 'lab', organisationId: FIXTURE.labA },
  courier: { role: 'transfer', organisationId: S.transportOrg },
  resident1: { role: 'resident', personId: FIXTURE.personA1 },
  resident4: { role: 'resident', personId: FIXTURE.personB1 },
} as const satisfies Record<string, Omit<CreateUserInput, 'username' | 'password'>>;

export type UserName = keyof typeof USERS;
export type Headers = Record<UserName, { authorization: string }>;

export async function loadScreeningWorld(ctx: AppContext): Promise<Headers> {
  await loadFixture(ctx);
  const db = ctx.store.db;
  const org = (
    id: number,
    district: number,
    street: number,
    kind: 'sampling' | 'transport',
    name: string,
  ) => ({
    id,
    district_id: district,
    street_id: street,
    kind,
    name,
    place_id: null,
    sector: null,
    daily_capacity: null,
  });
  await db
    .insertInto('organisations')
    .values([
      org(S.samplingOrg, FIXTURE.districtA, FIXTURE.streetA1, 'sampling', '黄浦采样队'),
      org(S.samplingOrgB, FIXTURE.districtB, FIXTURE.streetB1, 'sampling', '徐汇采样队'),
      org(S.transportOrg, FIXTURE.districtA, FIXTURE.streetA1, 'transport', '黄浦转运队'),
    ])
    .execute();
  const site = (
    id: number,
    orgId: number,
    district: number,
    street: number,
    kind: 'fixed' | 'door_to_door',
    name: string,
  ) => ({
    id,
    district_id: district,
    street_id: street,
    organisation_id: orgId,
    kind,
    name,
    hourly_capacity: 600,
    lng: null,
    lat: null,
  });
  await db
    .insertInto('sampling_sites')
    .values([
      site(S.siteA, S.samplingOrg, FIXTURE.districtA, FIXTURE.streetA1, 'fixed', '贵州路采样点'),
      site(S.siteDoor, S.samplingOrg, FIXTURE.districtA, FIXTURE.streetA1, 'door_to_door', '贵州路上门采样'),
      site(S.siteB, S.samplingOrgB, FIXTURE.districtB, FIXTURE.streetB1, 'fixed', '建国西路采样点'),
    ])
    .execute();
  const now = ctx.clock.now();
  const households = Array.from({ length: S.extraCount / 2 }, (_, i) => ({
    id: 10 + i,
    district_id: FIXTURE.districtA,
    street_id: FIXTURE.streetA1,
    committee_id: FIXTURE.committeeA1,
    place_id: FIXTURE.buildingA2,
    floor: 1 + Math.floor(i / 4),
    room: `${1 + Math.floor(i / 4)}0${1 + (i % 4)}`,
  }));
  await db.insertInto('households').values(households).execute();
  const people = Array.from({ length: S.extraCount }, (_, i) => ({
    id: S.extraFirst + i,
    district_id: FIXTURE.districtA,
    street_id: FIXTURE.streetA1,
    committee_id: FIXTURE.committeeA1,
    household_id: 10 + Math.floor(i / 2),
    place_id: FIXTURE.buildingA2,
    ref: `ref-${S.extraFirst + i}`,
    id_hash: null,
    name: `居民${i}`,
    phone: null,
    birth_year: 1990,
    sex: 'F' as const,
    floor: 1 + Math.floor(i / 8),
    workplace_org_id: null,
    occupation: null,
    vulnerable: '',
    created_at: now,
    last_activity_at: null,
    purged_at: null,
  }));
  await db.insertInto('people').values(people).execute();
  const out = {} as Headers;
  for (const [username, spec] of Object.entries(USERS) as [UserName, (typeof USERS)[UserName]][]) {
    const user = await createUser(ctx, { username, password: 'correct horse battery', ...spec });
    out[username] = {
      authorization: `Bearer ${issueToken(ctx.secrets.tokenKey, principalOf(user), ctx.wallClock.now())}`,
    };
  }
  return out;
}

/** The code a resident shows (valid 24 h from now unless told). */
export function codeOf(
  ctx: AppContext,
  personId: number,
  districtId = personId >= S.extraFirst || personId <= 3 ? FIXTURE.districtA : FIXTURE.districtB,
  ttlMs = 86_400_000,
): string {
  return encodePersonCode(ctx.secrets.codeKey, {
    ref: `ref-${personId}`,
    districtId,
    expiresAt: ctx.clock.now() + ttlMs,
  });
}

export function newClientId(): string {
  return crypto.randomUUID();
}

export async function server(ctx: AppContext): Promise<CordonApp> {
  const app = await buildServer(ctx);
  await app.ready();
  return app;
}

export const HOUR = 3600_000;
