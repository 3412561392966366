/**
 * What part of the world a user may see (../SPEC "Identity and scope"): a region's subtree, an
 * organisation's own people and objects, or the person themself.
 */
export type Scope =
  | { kind: 'region'; regionId: number }
  | { kind: 'organisation'; organisationId: number }
  /** A resident. `districtId` locates their row: people are keyed by (district, id) on PostgreSQL. */
  | { kind: 'self'; personId: number; districtId?: number };

/** The addressing of anything scoped: the regions it belongs to (with all ancestors), organisations, a person. */
export interface ScopeTargets {
  regionIds: readonly number[];
  organisationIds?: readonly number[];
  personId?: number | null;
}

export function scopeCovers(scope: Scope, target: ScopeTargets): boolean {
  switch (scope.kind) {
    case 'region':
      return target.regionIds.includes(scope.regionId);
    case 'organisation':
      return (target.organisationIds ?? []).includes(scope.organisationId);
    case 'self':
      return target.personId != null && target.personId === scope.personId;
  }
}
