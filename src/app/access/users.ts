import type { Principal } from '../../domain/access/principal.ts';
import { isRole, type OrganisationKind, type Role } from '../../domain/access/roles.ts';
import type { Scope } from '../../domain/access/scope.ts';
import {
  checkNewUser,
  checkOrganisationKind,
  checkRegionLevel,
  type NewUserInput,
} from '../../domain/access/user-rules.ts';
import { DomainError, invalid } from '../../domain/errors.ts';
import type { UserTable } from '../../store/schema.ts';
import type { AppContext } from '../context.ts';
import { hashPassword, spendDecoyVerification, verifyPassword } from './passwords.ts';

export interface UserView {
  id: number;
  username: string;
  role: Role;
  displayName: string;
  scope: Scope;
}

type UserRow = Pick<
  UserTable,
  'username' | 'role' | 'display_name' | 'scope_region_id' | 'scope_organisation_id' | 'scope_person_id'
> & {
  id: number;
};

export interface CreateUserInput extends NewUserInput {
  displayName?: string;
}

/**
 * Creates a user after checking that the scope suits the role and that the region,
 * organisation or person it names exists. Errors name the offending field.
 */
export async function createUser(ctx: AppContext, input: CreateUserInput): Promise<UserView> {
  const role = checkNewUser(input);
  const db = ctx.store.db;
  if (input.regionId != null) {
    const region = ctx.regions.get(input.regionId);
    if (!region) throw invalid('regionId', 'no such region', input.regionId);
    checkRegionLevel(role, region.level);
  }
  if (input.organisationId != null) {
    const org = await db
      .selectFrom('organisations')
      .select('kind')
      .where('id', '=', input.organisationId)
      .executeTakeFirst();
    if (!org) throw invalid('organisationId', 'no such organisation', input.organisationId);
    checkOrganisationKind(role, org.kind as OrganisationKind);
  }
  if (input.personId != null) {
    const person = await db
      .selectFrom('people')
      .select('id')
      .where('id', '=', input.personId)
      .executeTakeFirst();
    if (!person) throw invalid('personId', 'no such person', input.personId);
  }
  const existing = await db
    .selectFrom('users')
    .select('id')
    .where('username', '=', input.username)
    .executeTakeFirst();
  if (existing) {
    throw new DomainError('conflict', `username ${input.username} is taken`, [
      { field: 'username', message: 'taken' },
    ]);
  }

  const row = await db
    .insertInto('users')
    .values({
      username: input.username,
      password_hash: await hashPassword(input.password),
      role,
      display_name: input.displayName ?? input.username,
      scope_region_id: input.regionId ?? null,
      scope_organisation_id: input.organisationId ?? null,
      scope_person_id: input.personId ?? null,
      created_at: ctx.clock.now(),
      disabled_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return toView(ctx, {
    id: Number(row.id),
    username: input.username,
    role,
    display_name: input.displayName ?? input.username,
    scope_region_id: input.regionId ?? null,
    scope_organisation_id: input.organisationId ?? null,
    scope_person_id: input.personId ?? null,
  });
}

export async function findUser(
  ctx: AppContext,
  username: string,
): Promise<(UserRow & { password_hash: string; disabled_at: number | null }) | undefined> {
  const row = await ctx.store.db
    .selectFrom('users')
    .selectAll()
    .where('username', '=', username)
    .executeTakeFirst();
  return row ? { ...row, id: Number(row.id) } : undefined;
}

/**
 * Checks a username and password. Unknown users, disabled users and wrong passwords all give
 * the same error after the same work, so a caller learns nothing about which usernames exist.
 */
export async function authenticate(ctx: AppContext, username: string, password: string): Promise<UserView> {
  const row = await findUser(ctx, username);
  if (!row) {
    await spendDecoyVerification(password);
    throw new DomainError('invalid_credentials');
  }
  const ok = await verifyPassword(password, row.password_hash);
  if (!ok || row.disabled_at != null) throw new DomainError('invalid_credentials');
  return toView(ctx, row);
}

export function principalOf(user: UserView): Principal {
  return { userId: user.id, username: user.username, role: user.role, scope: user.scope };
}

async function toView(ctx: AppContext, row: UserRow): Promise<UserView> {
  if (!isRole(row.role)) {
    throw new DomainError('internal', `user ${row.username} has an unknown role ${row.role}`);
  }
  return {
    id: row.id,
    username: row.username,
    role: row.role,
    displayName: row.display_name,
    scope: await scopeOf(ctx, row),
  };
}

async function scopeOf(ctx: AppContext, row: UserRow): Promise<Scope> {
  if (row.scope_region_id != null) return { kind: 'region', regionId: row.scope_region_id };
  if (row.scope_organisation_id != null) {
    return { kind: 'organisation', organisationId: row.scope_organisation_id };
  }
  if (row.scope_person_id != null) {
    // The district rides along in the token so a resident's own look-ups read by (district, id).
    const person = await ctx.store.db
      .selectFrom('people')
      .select('district_id')
      .where('id', '=', row.scope_person_id)
      .executeTakeFirst();
    return {
      kind: 'self',
      personId: row.scope_person_id,
      ...(person ? { districtId: person.district_id } : {}),
    };
  }
  throw new DomainError('internal', `user ${row.username} has no scope`);
}

/** A region given as its code (310101) or its id; codes win because they are what operators type. */
export async function resolveRegion(ctx: AppContext, codeOrId: string): Promise<number> {
  const byCode = await ctx.store.db
    .selectFrom('regions')
    .select('id')
    .where('code', '=', codeOrId)
    .executeTakeFirst();
  if (byCode) return Number(byCode.id);
  const id = Number(codeOrId);
  if (Number.isInteger(id) && ctx.regions.get(id)) return id;
  throw invalid('region', 'no region with this code or id', codeOrId);
}
