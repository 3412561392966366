import type { Principal } from '../../domain/access/principal.ts';
import type { Role } from '../../domain/access/roles.ts';
import { DomainError } from '../../domain/errors.ts';
import type { AppContext } from '../context.ts';

/**
 * Who may do what in screening (SPEC "Identity and scope"): region users act in their subtree,
 * samplers for their sampling organisation's sites, labs for their own tubes, residents for
 * themselves. Every check names what was refused.
 */
export const ROUND_PLANNERS: readonly Role[] = ['admin', 'city_command', 'district_command'];
export const SCREENING_VIEWERS: readonly Role[] = [
  'admin',
  'city_command',
  'district_command',
  'street_staff',
  'tracer',
];

export function requireRole(principal: Principal, roles: readonly Role[], what: string): void {
  if (!roles.includes(principal.role)) {
    throw new DomainError('forbidden', `role ${principal.role} may not ${what}`);
  }
}

/** The region a region-scoped user sees (their subtree). */
export function regionOf(principal: Principal): number {
  if (principal.scope.kind !== 'region') {
    throw new DomainError('forbidden', `role ${principal.role} has no region view`);
  }
  return principal.scope.regionId;
}

export function organisationOf(principal: Principal): number {
  if (principal.scope.kind !== 'organisation') {
    throw new DomainError('forbidden', `role ${principal.role} acts for no organisation`);
  }
  return principal.scope.organisationId;
}

/** A region asked for must lie inside the caller's own; the default is their own region. */
export function regionInScope(
  ctx: AppContext,
  principal: Principal,
  regionId: number | undefined,
  field = 'regionId',
): number {
  const own = regionOf(principal);
  if (regionId == null) return own;
  if (!ctx.regions.get(regionId)) {
    throw new DomainError('not_found', `region ${regionId} not found`, [
      { field, message: 'no such region' },
    ]);
  }
  if (!ctx.regions.isWithin(regionId, own)) {
    throw new DomainError('out_of_scope', `region ${regionId} is outside your area`, [
      { field, message: 'outside your area' },
    ]);
  }
  return regionId;
}

/** Districts of the caller's area (the shards their queries touch); null = the whole city. */
export function districtsOf(ctx: AppContext, regionId: number): number[] | null {
  const region = ctx.regions.get(regionId);
  if (!region || region.level === 'city') return null;
  return [region.districtId!];
}
