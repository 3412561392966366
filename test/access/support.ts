import { issueToken } from '../../src/app/access/tokens.ts';
import { createUser, principalOf, type CreateUserInput } from '../../src/app/access/users.ts';
import type { AppContext } from '../../src/app/context.ts';
import { FIXTURE } from '../support/fixture.ts';

/** A transport team in district A, for transfer users; person 3 works there. */
export const TRANSPORT_ORG = 502;

export const PASSWORD = 'correct horse battery';

/** One user per interesting role and scope over the fixture city, with a bearer token each. */
export const TEST_USERS = {
  admin: { role: 'admin', regionId: FIXTURE.city },
  cmdA: { role: 'district_command', regionId: FIXTURE.districtA },
  cmdB: { role: 'district_command', regionId: FIXTURE.districtB },
  streetA2: { role: 'street_staff', regionId: FIXTURE.streetA2 },
  tracerA: { role: 'tracer', regionId: FIXTURE.districtA },
  employer: { role: 'employer', organisationId: FIXTURE.workplaceA },
  lab: { role: 'lab', organisationId: FIXTURE.labA },
  transfer: { role: 'transfer', organisationId: TRANSPORT_ORG },
  resident1: { role: 'resident', personId: FIXTURE.personA1 },
  resident4: { role: 'resident', personId: FIXTURE.personB1 },
} as const satisfies Record<string, Omit<CreateUserInput, 'username' | 'password'>>;

export type TestUser = keyof typeof TEST_USERS;

async function addTransportOrg(ctx: AppContext): Promise<void> {
  await ctx.store.db
    .insertInto('organisations')
    .values({
      id: TRANSPORT_ORG,
      district_id: FIXTURE.districtA,
      street_id: FIXTURE.streetA1,
      kind: 'transport',
      name: '黄浦转运队',
      place_id: null,
      sector: null,
      daily_capacity: 20,
    })
    .execute();
  await ctx.store.db
    .updateTable('people')
    .set({ workplace_org_id: TRANSPORT_ORG })
    .where('id', '=', FIXTURE.personA3)
    .execute();
}

/** Adds the transport team, creates the users and returns `Authorization` headers by user name. */
export async function createTestUsers(ctx: AppContext): Promise<Record<TestUser, { authorization: string }>> {
  await addTransportOrg(ctx);
  const out = {} as Record<TestUser, { authorization: string }>;
  for (const [username, spec] of Object.entries(TEST_USERS) as [TestUser, (typeof TEST_USERS)[TestUser]][]) {
    const user = await createUser(ctx, { username, password: PASSWORD, ...spec });
    out[username] = {
      authorization: `Bearer ${issueToken(ctx.secrets.tokenKey, principalOf(user), ctx.clock.now())}`,
    };
  }
  return out;
}

export async function auditRows(ctx: AppContext) {
  return ctx.store.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
}
