import type { SectionSource } from '../area.ts';
import { childOf, foldChildCounts, personColumn } from './group.ts';

/** Open test orders of people in the area, and those already past their due time. */
export const testOrdersSection: SectionSource<'testOrders'> = {
  key: 'testOrders',
  async compute(ctx, area) {
    let query = ctx.store.db
      .selectFrom('test_orders as t')
      .innerJoin('people as p', (join) =>
        join.onRef('p.id', '=', 't.person_id').onRef('p.district_id', '=', 't.district_id'),
      )
      .where('t.status', '=', 'open');
    if (area.filterColumn) query = query.where(personColumn(area.filterColumn), '=', area.region.id);
    const child = childOf(area);
    const rows = await query
      .select((eb) => [
        child.as('child'),
        eb.fn.countAll<number>().as('n'),
        eb.fn.sum<number>(eb.case().when('t.due_at', '<', area.now).then(1).else(0).end()).as('overdue'),
      ])
      .groupBy(child)
      .execute();
    const open = foldChildCounts(rows);
    const overdue = foldChildCounts(rows.map((r) => ({ child: r.child, n: r.overdue ?? 0 })));
    return {
      data: { open: open.total, overdue: overdue.total },
      measures: {
        openTestOrders: new Map(area.children.map((c) => [c.id, open.byChild.get(c.id) ?? 0])),
        overdueTestOrders: new Map(area.children.map((c) => [c.id, overdue.byChild.get(c.id) ?? 0])),
      },
    };
  },
};
