import crypto from 'node:crypto';
import type { Principal } from '../../domain/access/principal.ts';
import type { Role } from '../../domain/access/roles.ts';
import type { CityRecords } from '../../domain/simulation/population.ts';
import { TOKEN_TTL_MS, issueToken } from '../access/tokens.ts';
import { createUser, findUser, principalOf, type UserView } from '../access/users.ts';
import type { AppContext } from '../context.ts';
import type { ApiClient } from './http-client.ts';

/**
 * The simulation's staff: real user accounts with the roles and scopes of ../SPEC "Identity and
 * scope" — a sampler account per sampling organisation, a lab account per lab, a crew account per
 * transport team, a facility account per facility, and a command post, a tracing team and an
 * admin at city level — so that every action lands in the audit log under the kind of user who
 * would take it. Passwords are derived from the deployment secret (like the demo users), so they
 * are never stored in clear and an operator holding the secret can log in as any of them.
 *
 * The three city-level staff log in through POST /auth/login. The hundreds of organisation
 * accounts get their token from `issueToken` with the deployment's key — what /auth/login itself
 * does after checking the password — because login is rate limited to 10 a minute per address by
 * design (password guessing), which would stall a city's worth of devices for half an hour.
 */
export interface ActorTokens {
  admin: string;
  command: string;
  tracer: string;
  /** Organisation id → token of its account. */
  organisations: Map<number, string>;
}

const ORG_ROLE: Record<string, Role | undefined> = {
  sampling: 'sampler',
  lab: 'lab',
  transport: 'transfer',
  facility: 'facility',
};

export function actorPassword(ctx: AppContext, username: string): string {
  return crypto
    .createHmac('sha256', ctx.secrets.tokenKey)
    .update(`cordon:sim-password:${username}`)
    .digest('base64url')
    .slice(0, 20);
}

async function ensureUser(
  ctx: AppContext,
  username: string,
  role: Role,
  scope: { regionId?: number; organisationId?: number },
  displayName: string,
): Promise<UserView> {
  const existing = await findUser(ctx, username);
  if (existing) {
    return {
      id: existing.id,
      username,
      role: existing.role as Role,
      displayName: existing.display_name,
      scope:
        existing.scope_organisation_id != null
          ? { kind: 'organisation', organisationId: Number(existing.scope_organisation_id) }
          : { kind: 'region', regionId: Number(existing.scope_region_id) },
    };
  }
  return createUser(ctx, { username, password: actorPassword(ctx, username), role, displayName, ...scope });
}

/** Creates the accounts that are missing (idempotent; a few seconds the first time: scrypt). */
export async function ensureActorAccounts(
  ctx: AppContext,
  city: CityRecords,
): Promise<{ staff: Record<'admin' | 'command' | 'tracer', string>; organisations: Map<number, Principal> }> {
  const cityId = city.cityId;
  await ensureUser(ctx, 'sim-admin', 'admin', { regionId: cityId }, '演练 管理员 (simulation admin)');
  await ensureUser(
    ctx,
    'sim-command',
    'city_command',
    { regionId: cityId },
    '演练 市指挥部 (simulation command post)',
  );
  await ensureUser(
    ctx,
    'sim-tracer',
    'tracer',
    { regionId: cityId },
    '演练 流调队 (simulation tracing team)',
  );
  const organisations = new Map<number, Principal>();
  const wanted = city.organisations.filter((o) => ORG_ROLE[o.kind] != null).sort((a, b) => a.id - b.id);
  // scrypt runs on libuv's thread pool: a few at a time keeps every core busy.
  for (let i = 0; i < wanted.length; i += 4) {
    const views = await Promise.all(
      wanted
        .slice(i, i + 4)
        .map((o) =>
          ensureUser(
            ctx,
            `sim-${o.kind}-${o.id}`,
            ORG_ROLE[o.kind]!,
            { organisationId: o.id },
            `演练 ${o.kind} ${o.id}`,
          ),
        ),
    );
    views.forEach((v, k) => organisations.set(wanted[i + k].id, principalOf(v)));
  }
  return { staff: { admin: 'sim-admin', command: 'sim-command', tracer: 'sim-tracer' }, organisations };
}

/** Logs the staff in through the API and issues the organisation accounts' tokens. */
export async function actorTokens(
  ctx: AppContext,
  api: ApiClient,
  accounts: Awaited<ReturnType<typeof ensureActorAccounts>>,
): Promise<ActorTokens> {
  const login = (username: string) => api.login(username, actorPassword(ctx, username));
  const now = ctx.wallClock.now();
  const organisations = new Map<number, string>();
  for (const [id, principal] of accounts.organisations) {
    organisations.set(id, issueToken(ctx.secrets.tokenKey, principal, now, TOKEN_TTL_MS));
  }
  return {
    admin: await login(accounts.staff.admin),
    command: await login(accounts.staff.command),
    tracer: await login(accounts.staff.tracer),
    organisations,
  };
}
