import { issueToken } from '../../src/app/access/tokens.ts';
import type { AppContext } from '../../src/app/context.ts';
import { createRound } from '../../src/app/screening/rounds.ts';
import type { Principal } from '../../src/domain/access/principal.ts';
import type { Role } from '../../src/domain/access/roles.ts';

/**
 * The bench's actors: a citywide first round (10-in-1), one sampler account per sampling
 * organisation, one account per lab and one per transport team, with bearer tokens. Accounts
 * are inserted directly (no password: nobody logs in; scrypt for thousands of accounts would
 * only time the setup).
 */
const DAY = 86_400_000;

export interface BenchActors {
  roundId: number;
  samplers: Map<number, string>;
  labs: Map<number, string>;
  labsByDistrict: Map<number, number[]>;
  couriers: number[];
  admin: string;
  resident(personId: number): string;
}

async function accounts(
  ctx: AppContext,
  role: Role,
  organisationIds: number[],
): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  const now = Date.now();
  for (let i = 0; i < organisationIds.length; i += 500) {
    const chunk = organisationIds.slice(i, i + 500);
    const rows = await ctx.store.db
      .insertInto('users')
      .values(
        chunk.map((org) => ({
          username: `bench-${role}-${org}`,
          password_hash: '!',
          role,
          display_name: '',
          scope_region_id: null,
          scope_organisation_id: org,
          scope_person_id: null,
          created_at: now,
          disabled_at: null,
        })),
      )
      .returning(['id', 'scope_organisation_id'])
      .execute();
    for (const r of rows) {
      const principal: Principal = {
        userId: Number(r.id),
        username: `bench-${role}-${r.scope_organisation_id}`,
        role,
        scope: { kind: 'organisation', organisationId: Number(r.scope_organisation_id) },
      };
      out.set(
        Number(r.scope_organisation_id),
        `Bearer ${issueToken(ctx.secrets.tokenKey, principal, Date.now(), DAY)}`,
      );
    }
  }
  return out;
}

export async function setUpActors(ctx: AppContext): Promise<BenchActors> {
  const city = ctx.regions.city()!;
  const adminPrincipal: Principal = {
    userId: 0,
    username: 'bench-admin',
    role: 'admin',
    scope: { kind: 'region', regionId: city.id },
  };
  const now = ctx.clock.now();
  const round = await createRound(ctx, adminPrincipal, {
    name: 'bench citywide round',
    kind: 'nucleic_acid',
    startsAt: now - 3600_000,
    endsAt: now + 6 * DAY,
    firstRound: true,
    regionIds: [city.id],
    placeIds: [],
  });
  const orgs = await ctx.store.db
    .selectFrom('organisations')
    .select(['id', 'kind', 'district_id'])
    .where('kind', 'in', ['sampling', 'lab', 'transport'])
    .orderBy('id')
    .execute();
  const ids = (kind: string) => orgs.filter((o) => o.kind === kind).map((o) => Number(o.id));
  const labsByDistrict = new Map<number, number[]>();
  for (const o of orgs.filter((x) => x.kind === 'lab')) {
    labsByDistrict.set(Number(o.district_id), [
      ...(labsByDistrict.get(Number(o.district_id)) ?? []),
      Number(o.id),
    ]);
  }
  return {
    roundId: round.id,
    samplers: await accounts(ctx, 'sampler', ids('sampling')),
    labs: await accounts(ctx, 'lab', ids('lab')),
    labsByDistrict,
    couriers: ids('transport'),
    admin: `Bearer ${issueToken(ctx.secrets.tokenKey, adminPrincipal, Date.now(), DAY)}`,
    resident: (personId) =>
      `Bearer ${issueToken(ctx.secrets.tokenKey, { userId: 0, username: `bench-resident-${personId}`, role: 'resident', scope: { kind: 'self', personId } }, Date.now(), DAY)}`,
  };
}
