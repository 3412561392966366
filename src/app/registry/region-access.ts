import type { Principal } from '../../domain/access/principal.ts';
import { DomainError } from '../../domain/errors.ts';
import type { AppContext } from '../context.ts';
import type { RegionNode } from './region-directory.ts';

/**
 * What part of the region tree a principal sees. Region scopes see their subtree in full
 * (populations, shapes) and their ancestors by name, so a street user's map still says which
 * district and city it is in. Organisation and self scopes see their own district's region
 * names only: enough to label addresses, nothing about the rest of the city.
 */
export interface RegionView {
  root: RegionNode;
  detail: 'full' | 'names';
}

export type RegionAccess = 'full' | 'names' | null;

export async function regionViewOf(ctx: AppContext, principal: Principal): Promise<RegionView> {
  const scope = principal.scope;
  let rootId: number | null | undefined;
  switch (scope.kind) {
    case 'region':
      rootId = scope.regionId;
      break;
    case 'organisation':
      rootId = (
        await ctx.store.db
          .selectFrom('organisations')
          .select('district_id')
          .where('id', '=', scope.organisationId)
          .executeTakeFirst()
      )?.district_id;
      break;
    case 'self':
      rootId = (
        await ctx.store.db
          .selectFrom('people')
          .select('district_id')
          .where('id', '=', scope.personId)
          .executeTakeFirst()
      )?.district_id;
      break;
  }
  const root = rootId == null ? undefined : ctx.regions.get(rootId);
  if (!root) throw new DomainError('out_of_scope', 'your scope names no region of this registry');
  return { root, detail: scope.kind === 'region' ? 'full' : 'names' };
}

/** How much of region `id` the view shows: its detail inside the subtree, names for ancestors. */
export function regionAccess(ctx: AppContext, view: RegionView, id: number): RegionAccess {
  if (!ctx.regions.get(id)) return null;
  if (ctx.regions.isWithin(id, view.root.id)) return view.detail;
  if (ctx.regions.isWithin(view.root.id, id)) return 'names';
  return null;
}

/**
 * The region and how much of it the view shows, or out_of_scope (a 404: whether it exists
 * elsewhere is not disclosed). `inSubtree` refuses the ancestors, e.g. to list children.
 */
export function requireRegion(
  ctx: AppContext,
  view: RegionView,
  id: number,
  inSubtree = false,
): { node: RegionNode; access: 'full' | 'names' } {
  const access = regionAccess(ctx, view, id);
  if (!access || (inSubtree && !ctx.regions.isWithin(id, view.root.id))) {
    throw new DomainError('out_of_scope', `region ${id} is not in your area`);
  }
  return { node: ctx.regions.get(id)!, access };
}

/** The column that confines a query on a hot table to the view's subtree (null: the whole city). */
export function subtreeColumn(
  view: RegionView,
): { column: 'district_id' | 'street_id' | 'committee_id'; id: number } | null {
  switch (view.root.level) {
    case 'city':
      return null;
    case 'district':
      return { column: 'district_id', id: view.root.id };
    case 'street':
      return { column: 'street_id', id: view.root.id };
    case 'committee':
      return { column: 'committee_id', id: view.root.id };
  }
}
