import type { Principal } from '../../domain/access/principal.ts';
import { DomainError } from '../../domain/errors.ts';
import {
  coverageByChild,
  householdsNamed,
  placesNamed,
  untestedPeople,
  type AreaFilter,
  type RegionLevel,
} from '../../store/screening/coverage-repo.ts';
import { actorOf, audit } from '../access/audit.ts';
import type { AppContext } from '../context.ts';
import { regionInScope, requireRole, SCREENING_VIEWERS } from './access.ts';
import { getRound } from './rounds.ts';
import { groupBy } from '../../domain/group-by.ts';

/**
 * "不漏一户、不落一人": for a round and an area, who should be tested (应检: residents in scope
 * minus people in isolation or hospital) and who was not yet, by child region down to the
 * building, and the untested households with their people.
 */
const CHILD: Record<RegionLevel, 'p.district_id' | 'p.street_id' | 'p.committee_id' | 'p.place_id'> = {
  city: 'p.district_id',
  district: 'p.street_id',
  street: 'p.committee_id',
  committee: 'p.place_id',
};

function levels(ctx: AppContext): Map<number, RegionLevel> {
  return new Map(ctx.regions.all().map((r) => [r.id, r.level]));
}

function area(ctx: AppContext, regionId: number): AreaFilter {
  return { level: ctx.regions.get(regionId)!.level, id: regionId };
}

export interface CoverageFigures {
  /** 应检 */
  expected: number;
  tested: number;
  /** 应检未检 */
  untested: number;
  /** Residents left out because they are in isolation or hospital. */
  isolated: number;
}

export async function roundCoverage(
  ctx: AppContext,
  principal: Principal,
  roundId: number,
  regionId?: number,
) {
  requireRole(principal, SCREENING_VIEWERS, 'see screening coverage');
  const region = regionInScope(ctx, principal, regionId);
  const round = await getRound(ctx, roundId);
  const where = area(ctx, region);
  const rows = await coverageByChild(
    ctx.store.db,
    round,
    levels(ctx),
    where,
    CHILD[where.level],
    ctx.clock.now(),
  );
  const figures = (r: { residents: number; isolated: number; tested: number }): CoverageFigures => {
    const expected = r.residents - r.isolated;
    return { expected, tested: r.tested, untested: Math.max(0, expected - r.tested), isolated: r.isolated };
  };
  const total = rows.reduce(
    (a, r) => ({
      residents: a.residents + r.residents,
      isolated: a.isolated + r.isolated,
      tested: a.tested + r.tested,
    }),
    { residents: 0, isolated: 0, tested: 0 },
  );
  const byBuilding = where.level === 'committee';
  const names = byBuilding
    ? new Map(
        (
          await placesNamed(
            ctx.store.db,
            rows.map((r) => r.key).filter((k): k is number => k != null),
          )
        ).map((p) => [Number(p.id), p.name]),
      )
    : null;
  return {
    roundId,
    regionId: region,
    ...figures(total),
    children: rows
      .map((r) => ({
        kind: byBuilding ? ('place' as const) : ('region' as const),
        id: r.key,
        name:
          r.key == null
            ? null
            : byBuilding
              ? (names!.get(r.key) ?? null)
              : (ctx.regions.get(r.key)?.name ?? null),
        ...figures(r),
      }))
      .sort((a, b) => b.untested - a.untested || (a.id ?? 0) - (b.id ?? 0)),
  };
}

/**
 * The households with people still to test, building by building, a page at a time (cursor =
 * last household id). People are given by id: names are revealed through the people API, with
 * a reason. The read is audited.
 */
export async function untestedHouseholds(
  ctx: AppContext,
  principal: Principal,
  roundId: number,
  options: { regionId?: number; cursor?: number; limit?: number; requestId?: string },
) {
  requireRole(principal, SCREENING_VIEWERS, 'list untested households');
  const region = regionInScope(ctx, principal, options.regionId);
  if (ctx.regions.get(region)!.level === 'city') {
    throw new DomainError(
      'validation_failed',
      'choose a district, street or committee: a citywide household list is too long to act on',
      [{ field: 'regionId', message: 'a district or below' }],
    );
  }
  const round = await getRound(ctx, roundId);
  const limit = Math.min(options.limit ?? 200, 1000);
  // Over-fetch people and keep whole households; the last, possibly cut, household starts the next page.
  const people = await untestedPeople(
    ctx.store.db,
    round,
    levels(ctx),
    area(ctx, region),
    ctx.clock.now(),
    options.cursor ?? 0,
    limit * 8 + 1,
  );
  const groups = groupBy(people, (p) => p.householdId ?? 0);
  let keys = [...groups.keys()];
  const full = people.length === limit * 8 + 1;
  if (full && keys.length > 1) keys = keys.slice(0, -1);
  keys = keys.slice(0, limit);
  const households = new Map(
    (
      await householdsNamed(
        ctx.store.db,
        keys.filter((k) => k !== 0),
      )
    ).map((h) => [Number(h.id), h]),
  );
  const placeIds = [
    ...new Set(
      keys.flatMap((k) => groups.get(k)!.map((p) => p.placeId)).filter((p): p is number => p != null),
    ),
  ];
  const places = new Map((await placesNamed(ctx.store.db, placeIds)).map((p) => [Number(p.id), p]));
  const items = keys.map((k) => {
    const members = groups.get(k)!;
    const placeId = members[0].placeId;
    const place = placeId == null ? undefined : places.get(placeId);
    const household = households.get(k);
    return {
      householdId: k === 0 ? null : k,
      placeId,
      building: place?.name ?? null,
      address: place?.address ?? null,
      floor: household?.floor ?? null,
      room: household?.room ?? null,
      personIds: members.map((m) => m.personId),
    };
  });
  const nextCursor = keys.length > 0 && (full || keys.length === limit) ? keys[keys.length - 1] : null;
  await audit(ctx, {
    actor: actorOf(principal),
    action: 'screening.untested.list',
    subjectType: 'person',
    subjectIds: items.flatMap((i) => i.personIds),
    fields: ['address', 'test_status'],
    requestId: options.requestId ?? null,
    details: { roundId, regionId: region },
  });
  return { roundId, regionId: region, items, nextCursor };
}
