import type { RegionDirectory } from '../../app/registry/region-directory.ts';
import type { Principal } from '../../domain/access/principal.ts';
import type { Scope } from '../../domain/access/scope.ts';
import type { ScopeView, UserSummary } from './schema.ts';

/** Shapes users and scopes for clients; a resident's district locator stays internal. */
export function presentScope(scope: Scope, regions: RegionDirectory): ScopeView {
  switch (scope.kind) {
    case 'region': {
      const region = regions.get(scope.regionId);
      return {
        kind: 'region',
        regionId: scope.regionId,
        regionName: region?.name ?? null,
        level: region?.level ?? null,
      };
    }
    case 'organisation':
      return { kind: 'organisation', organisationId: scope.organisationId };
    case 'self':
      return { kind: 'self', personId: scope.personId };
  }
}

export function presentUser(principal: Principal, regions: RegionDirectory): UserSummary {
  return {
    username: principal.username,
    role: principal.role,
    scope: presentScope(principal.scope, regions),
  };
}
