import type { Principal } from '../../domain/access/principal.ts';
import { DomainError } from '../../domain/errors.ts';
import type { Db } from '../../store/cases/db.ts';
import type { OrderRow } from '../../store/cases/orders.ts';
import type { AppContext } from '../context.ts';
import { facilityIdsOfOrganisation, type FacilityInfo } from './facilities-cache.ts';
import { facilityRegion, leafRegion } from './publish.ts';

/**
 * Where a user may look (../SPEC "Identity and scope"), applied in the queries: region users see
 * their subtree (by the person's district, street or committee column, so the filter is an index
 * lookup), transfer teams their own orders, facility staff their own facility's orders and stays.
 * Anything outside reads as not found, so nothing leaks.
 */
export type RegionFilter = { column: 'district_id' | 'street_id' | 'committee_id'; id: number } | null;

/** The column and value that restrict a person-keyed table to the user's region; null = the whole city. */
export function regionFilter(ctx: AppContext, principal: Principal): RegionFilter {
  if (principal.scope.kind !== 'region') {
    throw new DomainError('forbidden', `a ${principal.scope.kind}-scoped user has no area to list`);
  }
  const region = ctx.regions.get(principal.scope.regionId);
  if (!region) {
    throw new DomainError('forbidden', `region ${principal.scope.regionId} of your scope does not exist`);
  }
  switch (region.level) {
    case 'city':
      return null;
    case 'district':
      return { column: 'district_id', id: region.id };
    case 'street':
      return { column: 'street_id', id: region.id };
    case 'committee':
      return { column: 'committee_id', id: region.id };
  }
}

export function outOfScope(what: string): DomainError {
  return new DomainError('out_of_scope', `${what} not found in your area`);
}

/** Whether a row keyed by a person's regions lies in the user's region subtree. */
export function rowInRegion(
  ctx: AppContext,
  principal: Principal,
  row: { committee_id: number | null; street_id: number },
): boolean {
  return principal.scope.kind === 'region' && ctx.regions.isWithin(leafRegion(row), principal.scope.regionId);
}

/** The facilities the organisation-scoped user runs (facility staff); empty for other scopes. */
export async function ownFacilityIds(db: Db, principal: Principal): Promise<number[]> {
  if (principal.scope.kind !== 'organisation' || principal.role !== 'facility') return [];
  return facilityIdsOfOrganisation(db, principal.scope.organisationId);
}

export async function orderVisible(
  ctx: AppContext,
  db: Db,
  principal: Principal,
  order: OrderRow,
): Promise<boolean> {
  if (principal.scope.kind === 'region') return rowInRegion(ctx, principal, order);
  if (principal.scope.kind !== 'organisation') return false;
  if (principal.role === 'transfer') return order.transport_org_id === principal.scope.organisationId;
  if (principal.role === 'facility') {
    return order.facility_id != null && (await ownFacilityIds(db, principal)).includes(order.facility_id);
  }
  return false;
}

export async function facilityVisible(
  ctx: AppContext,
  db: Db,
  principal: Principal,
  facility: FacilityInfo,
): Promise<boolean> {
  if (principal.scope.kind === 'region') {
    return ctx.regions.isWithin(facilityRegion(facility), principal.scope.regionId);
  }
  if (principal.scope.kind !== 'organisation') return false;
  if (principal.role === 'facility') return facility.organisationId === principal.scope.organisationId;
  if (principal.role === 'transfer') {
    const row = await db
      .selectFrom('transfer_orders')
      .select('id')
      .where('transport_org_id', '=', principal.scope.organisationId)
      .where('facility_id', '=', facility.id)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }
  return false;
}
