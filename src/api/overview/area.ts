import type { AppContext } from '../../app/context.ts';
import type { RegionNode } from '../../app/registry/region-directory.ts';
import type { Principal } from '../../domain/access/principal.ts';
import { DomainError } from '../../domain/errors.ts';
import { dayOf, type CalendarDay } from '../../domain/time/calendar.ts';
import type { MeasureKey, RegionRef, SectionData, SectionKey } from './contract.ts';

/** The columns that place a row of a district-keyed table (people, episodes, orders) in a region. */
export type RegionColumn = 'district_id' | 'street_id' | 'committee_id';

/** The region an overview is asked for, resolved against the caller's scope. */
export interface OverviewArea {
  region: RegionNode;
  children: RegionNode[];
  /** Rows of the region: `column = region.id` (null for the city: every row). */
  filterColumn: RegionColumn | null;
  /** Rows are attributed to a child by this column (null below committees: no children). */
  childColumn: RegionColumn | null;
  now: number;
  today: CalendarDay;
}

/** What one section contributes: its data, and per-child values for the map's measures. */
export interface SectionResult<K extends SectionKey> {
  data: SectionData<K>;
  measures?: Partial<Record<MeasureKey, Map<number, number>>>;
  /** The data is the previous answer while a recount after a change runs (sections/cache.ts). */
  refreshing?: boolean;
}

/**
 * A source of one overview section. Capabilities add theirs to sections/index.ts as they land;
 * each receives the area already checked against the caller's scope, so it only filters by it.
 */
export interface SectionSource<K extends SectionKey> {
  key: K;
  compute(ctx: AppContext, area: OverviewArea): Promise<SectionResult<K>>;
}

export type AnySectionSource = { [K in SectionKey]: SectionSource<K> }[SectionKey];

const COLUMN_OF_LEVEL: Record<RegionNode['level'], RegionColumn | null> = {
  city: null,
  district: 'district_id',
  street: 'street_id',
  committee: 'committee_id',
};

const CHILD_COLUMN_OF_LEVEL: Record<RegionNode['level'], RegionColumn | null> = {
  city: 'district_id',
  district: 'street_id',
  street: 'committee_id',
  committee: null,
};

/**
 * Resolves `regionId` (default: the caller's scope region) to an area. Only region-scoped users
 * have an overview; a region outside the caller's subtree is "not found in your area", exactly
 * like one that does not exist, so the answer reveals nothing about regions beyond the scope.
 */
export function resolveArea(
  ctx: AppContext,
  principal: Principal,
  regionId: number | undefined,
): OverviewArea {
  if (principal.scope.kind !== 'region') {
    throw new DomainError('forbidden', 'the overview is for users scoped to a region');
  }
  const scopeRoot = principal.scope.regionId;
  const id = regionId ?? scopeRoot;
  const region = ctx.regions.get(id);
  if (!region || !ctx.regions.isWithin(id, scopeRoot)) {
    throw new DomainError('out_of_scope', `region ${id} is not in your area`);
  }
  return areaOf(ctx, region, ctx.clock.now());
}

/** The area of a region already checked against a scope (or counted for one, off the request thread). */
export function areaOf(ctx: AppContext, region: RegionNode, now: number): OverviewArea {
  return {
    region,
    children: ctx.regions.childrenOf(region.id).sort((a, b) => a.id - b.id),
    filterColumn: COLUMN_OF_LEVEL[region.level],
    childColumn: CHILD_COLUMN_OF_LEVEL[region.level],
    now,
    today: dayOf(now, ctx.config.timeZone),
  };
}

/** The path from the caller's scope root down to the area's region (for breadcrumbs). */
export function pathWithinScope(ctx: AppContext, principal: Principal, area: OverviewArea): RegionRef[] {
  const root = principal.scope.kind === 'region' ? principal.scope.regionId : area.region.id;
  const ancestry = ctx.regions.ancestry(area.region.id);
  const cut = ancestry.indexOf(root);
  return ancestry
    .slice(0, cut + 1)
    .reverse()
    .map((id) => regionRef(ctx.regions.get(id)!));
}

export function regionRef(node: RegionNode): RegionRef {
  return { id: node.id, level: node.level, name: node.name, nameEn: node.nameEn };
}
