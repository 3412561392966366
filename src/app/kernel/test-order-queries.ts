import { notFound } from '../../domain/errors.ts';
import type { TestOrder, TestOrderReason } from '../../domain/kernel/test-orders.ts';
import type { RegionDirectory } from '../registry/region-directory.ts';
import type { Db } from './repositories/db.ts';
import { toTestOrder } from './repositories/test-orders-repo.ts';

export interface TestOrderListQuery {
  /** open: every open order; overdue: open and past due at `now`. */
  state: 'open' | 'overdue';
  now: number;
  reason?: TestOrderReason;
  /** Page after this order id (cursor). */
  afterId?: number;
  limit?: number;
}

/**
 * Open or overdue test orders of a region's subtree, by id (stable cursor paging). The region's
 * level picks the filter: the order's own district, or the person's street or committee.
 */
export async function listTestOrders(
  db: Db,
  regions: RegionDirectory,
  regionId: number,
  query: TestOrderListQuery,
): Promise<{ items: TestOrder[]; nextCursor: number | null }> {
  const region = regions.get(regionId);
  if (!region) throw notFound(`region ${regionId}`);
  const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
  let q = db
    .selectFrom('test_orders as t')
    .innerJoin('people as p', (j) =>
      j.onRef('p.id', '=', 't.person_id').onRef('p.district_id', '=', 't.district_id'),
    )
    .selectAll('t')
    .where('t.status', '=', 'open');
  if (query.state === 'overdue') q = q.where('t.due_at', '<', query.now);
  if (query.reason) q = q.where('t.reason', '=', query.reason);
  if (query.afterId !== undefined) q = q.where('t.id', '>', query.afterId);
  if (region.level === 'district') q = q.where('t.district_id', '=', regionId);
  if (region.level === 'street') q = q.where('p.street_id', '=', regionId);
  if (region.level === 'committee') q = q.where('p.committee_id', '=', regionId);
  const rows = await q
    .orderBy('t.id')
    .limit(limit + 1)
    .execute();
  const items = rows.slice(0, limit).map(toTestOrder);
  return { items, nextCursor: rows.length > limit ? items[items.length - 1].id : null };
}
