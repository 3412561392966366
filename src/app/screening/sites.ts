import type { Principal } from '../../domain/access/principal.ts';
import { DomainError } from '../../domain/errors.ts';
import type { AppContext } from '../context.ts';

/** Sampling sites as the screening services see them: reference data, cached per context. */
export interface SiteRow {
  id: number;
  organisation_id: number;
  district_id: number;
  street_id: number;
}

const siteCache = new WeakMap<AppContext, Map<number, SiteRow | null>>();

/** Sites are reference data that do not move: cached per context, so a batch costs no extra read. */
export async function loadSite(ctx: AppContext, id: number): Promise<SiteRow | null> {
  let cache = siteCache.get(ctx);
  if (!cache) siteCache.set(ctx, (cache = new Map()));
  const hit = cache.get(id);
  if (hit) return hit;
  const row = await ctx.store.db
    .selectFrom('sampling_sites')
    .select(['id', 'organisation_id', 'district_id', 'street_id'])
    .where('id', '=', id)
    .executeTakeFirst();
  const site = row
    ? {
        id: Number(row.id),
        organisation_id: Number(row.organisation_id),
        district_id: Number(row.district_id),
        street_id: Number(row.street_id),
      }
    : null;
  if (site) cache.set(id, site);
  return site;
}

/** Samplers scan for their own organisation's sites; an admin (drills, corrections) for any site in their area. */
export async function authoriseSite(ctx: AppContext, principal: Principal, siteId: number): Promise<SiteRow> {
  const site = await loadSite(ctx, siteId);
  const refuse = () =>
    new DomainError('out_of_scope', `sampling site ${siteId} is not yours`, [
      { field: 'siteId', message: 'not a site of your organisation' },
    ]);
  if (!site) throw refuse();
  if (
    principal.role === 'sampler' &&
    principal.scope.kind === 'organisation' &&
    principal.scope.organisationId === site.organisation_id
  ) {
    return site;
  }
  if (
    principal.role === 'admin' &&
    principal.scope.kind === 'region' &&
    ctx.regions.isWithin(site.street_id, principal.scope.regionId)
  ) {
    return site;
  }
  if (principal.role !== 'sampler' && principal.role !== 'admin') {
    throw new DomainError('forbidden', `role ${principal.role} may not record scans`);
  }
  throw refuse();
}
