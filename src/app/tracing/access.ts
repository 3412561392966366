import type { Principal } from '../../domain/access/principal.ts';
import { DomainError } from '../../domain/errors.ts';
import { mayTrace, type TracingAction } from '../../domain/tracing/policy.ts';
import type { RegionFilter } from '../../store/tracing/scope.ts';
import type { AppContext } from '../context.ts';

/**
 * The route pipeline's "authorise" step for tracing: the role must be allowed the action, and the
 * scope becomes the row filter every tracing query applies (../SPEC: filtered in the data layer).
 */
export function tracingScope(ctx: AppContext, principal: Principal, action: TracingAction): RegionFilter {
  if (!mayTrace(principal.role, action)) {
    throw new DomainError(
      'forbidden',
      `role ${principal.role} may not ${action === 'read' ? 'read' : action} tracing records`,
    );
  }
  if (principal.scope.kind !== 'region') {
    throw new DomainError('forbidden', 'tracing is open to region-scoped users only');
  }
  return regionFilter(ctx, principal.scope.regionId);
}

export function regionFilter(ctx: AppContext, regionId: number): RegionFilter {
  const region = ctx.regions.get(regionId);
  if (!region) throw new DomainError('forbidden', `scope region ${regionId} does not exist`);
  if (region.level === 'city') return { level: 'city' };
  return { level: region.level, id: region.id };
}

/** Whether a subject at (district, street) lies inside the filter; for checks on one loaded row. */
export function filterCovers(
  filter: RegionFilter,
  subject: { districtId: number; streetId: number; committeeId?: number | null },
): boolean {
  switch (filter.level) {
    case 'city':
      return true;
    case 'district':
      return subject.districtId === filter.id;
    case 'street':
      return subject.streetId === filter.id;
    case 'committee':
      return subject.committeeId != null && subject.committeeId === filter.id;
  }
}
