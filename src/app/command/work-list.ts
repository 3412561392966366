import type { Principal } from '../../domain/access/principal.ts';
import { DomainError } from '../../domain/errors.ts';
import type { TestOrder } from '../../domain/kernel/test-orders.ts';
import { actorOf, audit } from '../access/audit.ts';
import { getScopedPerson, type PersonRow } from '../access/scoped-people.ts';
import type { AppContext } from '../context.ts';
import { listTestOrders } from '../kernel/test-order-queries.ts';

/**
 * The street's work list (街镇工作清单) for the web app: what the kernel keeps but no capability
 * serves as a list — pool holds waiting for their single-tube retest — and masked cards for the
 * people the other lists (compliance's overdue people, cases' waiting transfers) name by id.
 * Both are scoped in the query and audited like the people API.
 */
const MASKED_READ = ['name', 'phone', 'address'];
export const MAX_CARDS = 200;

function regionOf(ctx: AppContext, principal: Principal, regionId?: number): number {
  if (principal.scope.kind !== 'region') {
    throw new DomainError('forbidden', 'the work list is for region-scoped staff');
  }
  const own = principal.scope.regionId;
  const id = regionId ?? own;
  if (!ctx.regions.get(id) || !ctx.regions.isWithin(id, own)) {
    throw new DomainError('out_of_scope', `region ${id} is not in your area`, [
      { field: 'regionId', message: 'outside your area' },
    ]);
  }
  return id;
}

export interface PoolHold {
  order: TestOrder;
  person: PersonRow;
}

/** Open single-tube retest orders of a positive pool's members (混管阳性待复核), oldest first. */
export async function poolHolds(
  ctx: AppContext,
  principal: Principal,
  options: { regionId?: number; cursor?: number; limit?: number; requestId: string | null },
): Promise<{ items: PoolHold[]; nextCursor: number | null }> {
  const regionId = regionOf(ctx, principal, options.regionId);
  const page = await listTestOrders(ctx.store.db, ctx.regions, regionId, {
    state: 'open',
    reason: 'pool_retest',
    now: ctx.clock.now(),
    afterId: options.cursor,
    limit: Math.min(options.limit ?? 100, 500),
  });
  const items: PoolHold[] = [];
  for (const order of page.items) {
    items.push({ order, person: await getScopedPerson(ctx, principal, order.personId) });
  }
  await audit(ctx, {
    actor: actorOf(principal),
    action: 'work_list.pool_holds',
    subjectType: 'person',
    subjectIds: items.map((i) => i.person.id),
    fields: [...MASKED_READ, 'test_orders'],
    requestId: options.requestId,
    details: { masked: true, regionId },
  });
  return { items, nextCursor: page.nextCursor };
}

/** Masked cards of the people named by id; ids outside the caller's area are left out, not errors. */
export async function peopleCards(
  ctx: AppContext,
  principal: Principal,
  ids: readonly number[],
  requestId: string | null,
): Promise<PersonRow[]> {
  const rows: PersonRow[] = [];
  for (const id of [...new Set(ids)].slice(0, MAX_CARDS)) {
    try {
      rows.push(await getScopedPerson(ctx, principal, id));
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'out_of_scope') throw error;
    }
  }
  await audit(ctx, {
    actor: actorOf(principal),
    action: 'people.read',
    subjectType: 'person',
    subjectIds: rows.map((r) => r.id),
    fields: MASKED_READ,
    requestId,
    details: { masked: true, via: 'work_list' },
  });
  return rows;
}

export interface PlaceCard {
  id: number;
  kind: string;
  name: string;
  address: string;
  streetId: number;
}

/** Names of places in the caller's area (the zones API names places by id); others are left out. */
export async function placeCards(
  ctx: AppContext,
  principal: Principal,
  ids: readonly number[],
): Promise<PlaceCard[]> {
  const own = regionOf(ctx, principal);
  const wanted = [...new Set(ids)].slice(0, MAX_CARDS);
  if (wanted.length === 0) return [];
  const rows = await ctx.store.db
    .selectFrom('places')
    .select(['id', 'kind', 'name', 'address', 'district_id', 'street_id', 'committee_id'])
    .where('id', 'in', wanted)
    .execute();
  return rows
    .filter((r) => ctx.regions.isWithin(Number(r.committee_id ?? r.street_id), own))
    .map((r) => ({
      id: Number(r.id),
      kind: r.kind,
      name: r.name,
      address: r.address,
      streetId: Number(r.street_id),
    }));
}
