import { sql } from 'kysely';
import type { Principal } from '../../domain/access/principal.ts';
import { DomainError, notFound } from '../../domain/errors.ts';
import { assertMayReadZones } from '../../domain/zones/policy.ts';
import { ZONE_EPISODE_SOURCE } from '../../domain/zones/residents.ts';
import { LEVEL_ORDER, type ZoneLevel } from '../../domain/zones/types.ts';
import { changesOfDesignation, type ZoneChangeRow, type ZoneProposalRow } from '../../store/zones/changes.ts';
import { designationById, toDesignation, type StoredDesignation } from '../../store/zones/designations.ts';
import type { AppContext } from '../context.ts';
import { getActiveRuleSet } from '../kernel/rule-sets.ts';
import { assertPlaceInScope } from './decisions.ts';

/**
 * Reading zones, always inside the caller's region: designations, one place's history,
 * proposals, and counts of places and residents by zone and region.
 */
function regionOf(ctx: AppContext, principal: Principal) {
  assertMayReadZones(principal.role);
  if (principal.scope.kind !== 'region') {
    throw new DomainError('forbidden', 'zones are read by region-scoped staff');
  }
  const region = ctx.regions.get(principal.scope.regionId);
  if (!region) throw notFound(`region ${principal.scope.regionId}`);
  return region;
}

/** The column that puts a row in the caller's region, and the one that splits it one level down. */
function regionColumns(level: string): {
  filter: 'district_id' | 'street_id' | 'committee_id' | null;
  split: 'district_id' | 'street_id' | 'committee_id';
} {
  switch (level) {
    case 'city':
      return { filter: null, split: 'district_id' };
    case 'district':
      return { filter: 'district_id', split: 'street_id' };
    case 'street':
      return { filter: 'street_id', split: 'committee_id' };
    default:
      return { filter: 'committee_id', split: 'committee_id' };
  }
}

export interface DesignationListQuery {
  level?: ZoneLevel;
  /** Include places that stand at precaution again (released). */
  includeReleased?: boolean;
  afterId?: number;
  limit?: number;
}

export async function listDesignations(ctx: AppContext, principal: Principal, query: DesignationListQuery) {
  const region = regionOf(ctx, principal);
  const { filter } = regionColumns(region.level);
  const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
  let q = ctx.store.db.selectFrom('zone_designations').selectAll();
  if (filter) q = q.where(filter, '=', region.id);
  if (query.level) q = q.where('level', '=', query.level);
  else if (!query.includeReleased) {
    q = q.where((eb) => eb.or([eb('level', '!=', 'precaution'), eb('hold_until_day', 'is not', null)]));
  }
  if (query.afterId) q = q.where('id', '>', query.afterId);
  const rows = await q
    .orderBy('id')
    .limit(limit + 1)
    .execute();
  const items = rows.slice(0, limit).map(toDesignation);
  return { items, nextCursor: rows.length > limit ? items[items.length - 1].id : null };
}

export async function designationHistory(
  ctx: AppContext,
  principal: Principal,
  designationId: number,
): Promise<{ designation: StoredDesignation; changes: ZoneChangeRow[] }> {
  regionOf(ctx, principal);
  const designation = await designationById(ctx.store.db, designationId);
  if (!designation) throw notFound(`designation ${designationId}`);
  assertPlaceInScope(ctx, principal, designation);
  return { designation, changes: await changesOfDesignation(ctx.store.db, designationId) };
}

export async function listProposals(
  ctx: AppContext,
  principal: Principal,
  status: ZoneProposalRow['status'] = 'pending',
): Promise<ZoneProposalRow[]> {
  const region = regionOf(ctx, principal);
  const { filter } = regionColumns(region.level);
  let q = ctx.store.db
    .selectFrom('zone_proposals as p')
    .innerJoin('zone_designations as d', (j) =>
      j.onRef('d.id', '=', 'p.designation_id').onRef('d.district_id', '=', 'p.district_id'),
    )
    .selectAll('p')
    .where('p.status', '=', status);
  if (filter) q = q.where(`d.${filter}`, '=', region.id);
  return q.orderBy('p.id').limit(5000).execute();
}

export interface ZoneCountRow {
  regionId: number | null;
  level: ZoneLevel;
  places: number;
  residents: number;
}

/**
 * Places by zone (their designations) and residents by zone (the zone control episodes running
 * now, so a resident counts once, at the strictest level), per region one level below the caller's.
 */
export async function zoneCounts(
  ctx: AppContext,
  principal: Principal,
): Promise<{ regionId: number; rows: ZoneCountRow[] }> {
  const region = regionOf(ctx, principal);
  const { filter, split } = regionColumns(region.level);
  const db = ctx.store.db;
  let places = db
    .selectFrom('zone_designations')
    .select([`${split} as region_id`, 'level', sql<number>`count(*)`.as('n')])
    .groupBy([split, 'level']);
  if (filter) places = places.where(filter, '=', region.id);
  const placeRows = await places.execute();

  const zones = (await getActiveRuleSet(ctx)).zones;
  const kindLevel = new Map<string, ZoneLevel>();
  for (const level of LEVEL_ORDER) {
    const kind = zones.levels[level].controlKind;
    if (kind) kindLevel.set(kind, level);
  }
  const now = ctx.clock.now();
  let residents = db
    .selectFrom('control_episodes as e')
    .innerJoin('people as p', (j) =>
      j.onRef('p.id', '=', 'e.person_id').onRef('p.district_id', '=', 'e.district_id'),
    )
    .select([`p.${split} as region_id`, 'e.kind', sql<number>`count(distinct e.person_id)`.as('n')])
    .where('e.source_type', '=', ZONE_EPISODE_SOURCE)
    .where('e.from_at', '<=', now)
    .where((eb) => eb.or([eb('e.until_at', 'is', null), eb('e.until_at', '>', now)]))
    .groupBy([`p.${split}`, 'e.kind']);
  if (filter) residents = residents.where(`p.${filter}`, '=', region.id);
  const residentRows = await residents.execute();

  const out = new Map<string, ZoneCountRow>();
  const row = (regionId: number | null, level: ZoneLevel) => {
    const key = `${regionId}|${level}`;
    let r = out.get(key);
    if (!r) out.set(key, (r = { regionId, level, places: 0, residents: 0 }));
    return r;
  };
  for (const r of placeRows) row(r.region_id as number | null, r.level as ZoneLevel).places += Number(r.n);
  for (const r of residentRows) {
    const level = kindLevel.get(r.kind as string);
    if (level) row(r.region_id as number | null, level).residents += Number(r.n);
  }
  const rows = [...out.values()].sort(
    (a, b) =>
      (a.regionId ?? 0) - (b.regionId ?? 0) || LEVEL_ORDER.indexOf(a.level) - LEVEL_ORDER.indexOf(b.level),
  );
  return { regionId: region.id, rows };
}
