import { sql, type Expression, type ExpressionBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { Principal } from '../../domain/access/principal.ts';
import { DomainError, invalid } from '../../domain/errors.ts';
import type { Database } from '../../store/schema.ts';
import type { AppContext } from '../context.ts';
import { organisationPeopleLinks } from './organisation-links.ts';

/**
 * Every read of people goes through here and is filtered by the caller's scope in SQL (SPEC:
 * "filtered by scope in the data layer, not in the UI"). A row outside the scope is reported
 * exactly like a missing row, so probing ids tells an outsider nothing.
 */
type PeopleEb = ExpressionBuilder<Database, 'people'>;

export const VULNERABLE_FLAGS = ['elderly_alone', 'dialysis', 'pregnancy', 'chronic', 'disability'] as const;
export type VulnerableFilter = (typeof VULNERABLE_FLAGS)[number] | 'any';

export interface PeopleFilters {
  streetId?: number;
  committeeId?: number;
  householdId?: number;
  occupation?: string;
  vulnerable?: VulnerableFilter;
  /** Name prefix. */
  q?: string;
}

/** Keyset position: people are paged in (district, id) order, PostgreSQL's key order. */
export interface PeopleCursor {
  districtId: number;
  id: number;
}

const NEVER = sql<SqlBool>`1 = 0`;

/** The condition on `people` that a principal's scope allows. */
export function peopleScope(ctx: AppContext, principal: Principal): (eb: PeopleEb) => Expression<SqlBool> {
  const scope = principal.scope;
  return (eb) => {
    switch (scope.kind) {
      case 'region': {
        const region = ctx.regions.get(scope.regionId);
        if (!region) return NEVER;
        switch (region.level) {
          case 'city': {
            const districts = ctx.regions
              .subtree(region.id)
              .filter((id) => ctx.regions.get(id)?.level === 'district');
            return districts.length ? eb('people.district_id', 'in', districts) : NEVER;
          }
          case 'district':
            return eb('people.district_id', '=', region.id);
          // The district is repeated below so PostgreSQL (and Citus) go straight to one district.
          case 'street':
            return eb.and([
              eb('people.district_id', '=', region.districtId ?? -1),
              eb('people.street_id', '=', region.id),
            ]);
          case 'committee':
            return eb.and([
              eb('people.district_id', '=', region.districtId ?? -1),
              eb('people.street_id', '=', region.streetId ?? -1),
              eb('people.committee_id', '=', region.id),
            ]);
        }
        return NEVER;
      }
      case 'organisation':
        return eb.or(organisationPeopleLinks().map((link) => link.matches(eb, scope.organisationId)));
      case 'self': {
        const conditions = [eb('people.id', '=', scope.personId)];
        if (scope.districtId != null) conditions.push(eb('people.district_id', '=', scope.districtId));
        return eb.and(conditions);
      }
    }
  };
}

function escapeLike(value: string): string {
  return value.replace(/[!%_]/g, (c) => `!${c}`);
}

function peopleFilter(ctx: AppContext, filters: PeopleFilters): (eb: PeopleEb) => Expression<SqlBool> {
  return (eb) => {
    const c: Expression<SqlBool>[] = [];
    // A street or committee also pins its district: the key's leading column on PostgreSQL.
    for (const regionId of [filters.streetId, filters.committeeId]) {
      const districtId = regionId == null ? null : ctx.regions.get(regionId)?.districtId;
      if (districtId != null) c.push(eb('people.district_id', '=', districtId));
    }
    if (filters.streetId != null) c.push(eb('people.street_id', '=', filters.streetId));
    if (filters.committeeId != null) c.push(eb('people.committee_id', '=', filters.committeeId));
    if (filters.householdId != null) c.push(eb('people.household_id', '=', filters.householdId));
    if (filters.occupation != null) c.push(eb('people.occupation', '=', filters.occupation));
    if (filters.vulnerable === 'any') c.push(eb('people.vulnerable', '!=', ''));
    else if (filters.vulnerable != null) {
      // Flags are a comma-separated list; the commas around both sides make it an exact match.
      c.push(sql<SqlBool>`(',' || people.vulnerable || ',') like ${`%,${filters.vulnerable},%`}`);
    }
    if (filters.q) c.push(sql<SqlBool>`people.name like ${`${escapeLike(filters.q)}%`} escape '!'`);
    return eb.and(c);
  };
}

function basePeopleQuery(ctx: AppContext) {
  return ctx.store.db
    .selectFrom('people')
    .leftJoin('places', (join) =>
      join.onRef('places.id', '=', 'people.place_id').onRef('places.district_id', '=', 'people.district_id'),
    )
    .leftJoin('households', (join) =>
      join
        .onRef('households.id', '=', 'people.household_id')
        .onRef('households.district_id', '=', 'people.district_id'),
    )
    .select([
      'people.id',
      'people.district_id',
      'people.street_id',
      'people.committee_id',
      'people.household_id',
      'people.place_id',
      'people.name',
      'people.phone',
      'people.birth_year',
      'people.sex',
      'people.floor',
      'people.workplace_org_id',
      'people.occupation',
      'people.vulnerable',
      'people.created_at',
      'people.last_activity_at',
      'people.purged_at',
      'places.address as building_address',
      'households.room as room',
    ]);
}

type PeopleQuery = ReturnType<typeof basePeopleQuery>;
export type PersonRow = PeopleQuery extends SelectQueryBuilder<never, never, infer O> ? O : never;

function scopedQuery(ctx: AppContext, principal: Principal, filters: PeopleFilters): PeopleQuery {
  return basePeopleQuery(ctx).where(peopleScope(ctx, principal)).where(peopleFilter(ctx, filters));
}

export const MAX_PAGE = 500;

/** One page in (district, id) order, and the cursor of the next page if there is one. */
export async function listScopedPeople(
  ctx: AppContext,
  principal: Principal,
  filters: PeopleFilters,
  page: { limit: number; after?: PeopleCursor | null },
): Promise<{ rows: PersonRow[]; next: PeopleCursor | null }> {
  return pageOf(ctx, principal, filters, Math.min(Math.max(page.limit, 1), MAX_PAGE), page.after ?? null);
}

async function pageOf(
  ctx: AppContext,
  principal: Principal,
  filters: PeopleFilters,
  limit: number,
  after: PeopleCursor | null,
): Promise<{ rows: PersonRow[]; next: PeopleCursor | null }> {
  let query = scopedQuery(ctx, principal, filters);
  if (after) {
    query = query.where((eb) =>
      eb(eb.refTuple('people.district_id', 'people.id'), '>', eb.tuple(after.districtId, after.id)),
    );
  }
  const rows = await query
    .orderBy('people.district_id')
    .orderBy('people.id')
    .limit(limit + 1)
    .execute();
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { rows: items, next: more && last ? { districtId: last.district_id, id: last.id } : null };
}

/**
 * Every matching row in chunks, each chunk one keyset query: memory stays flat and no
 * transaction or connection is held between chunks, so an export of millions of rows never
 * blocks other requests.
 */
export async function* streamScopedPeople(
  ctx: AppContext,
  principal: Principal,
  filters: PeopleFilters,
  chunkSize = 5000,
): AsyncGenerator<PersonRow[]> {
  let after: PeopleCursor | null = null;
  for (;;) {
    const { rows, next } = await pageOf(ctx, principal, filters, chunkSize, after);
    if (rows.length) yield rows;
    if (!next) return;
    after = next;
  }
}

export async function getScopedPerson(
  ctx: AppContext,
  principal: Principal,
  personId: number,
): Promise<PersonRow> {
  const row = await basePeopleQuery(ctx)
    .where(peopleScope(ctx, principal))
    .where('people.id', '=', personId)
    .executeTakeFirst();
  if (!row) {
    throw new DomainError('out_of_scope', `person ${personId} is not in your area`, [
      { field: 'id', message: 'not found in your area' },
    ]);
  }
  return row;
}

/** Whether one of the caller's organisation's orders names this person (see organisation-links.ts). */
export async function isNamedInOwnOrder(
  ctx: AppContext,
  principal: Principal,
  personId: number,
): Promise<boolean> {
  if (principal.scope.kind !== 'organisation') return false;
  const orgId = principal.scope.organisationId;
  const orderLinks = organisationPeopleLinks('order');
  if (orderLinks.length === 0) return false;
  const row = await ctx.store.db
    .selectFrom('people')
    .select('people.id')
    .where('people.id', '=', personId)
    .where((eb) => eb.or(orderLinks.map((link) => link.matches(eb, orgId))))
    .executeTakeFirst();
  return row != null;
}

const CURSOR_PATTERN = /^(\d+)\.(\d+)$/;

export function encodePeopleCursor(cursor: PeopleCursor): string {
  return Buffer.from(`${cursor.districtId}.${cursor.id}`).toString('base64url');
}

export function decodePeopleCursor(value: string): PeopleCursor {
  const match = CURSOR_PATTERN.exec(Buffer.from(value, 'base64url').toString('utf8'));
  if (!match) throw invalid('cursor', 'not a cursor returned by this list', value);
  return { districtId: Number(match[1]), id: Number(match[2]) };
}
