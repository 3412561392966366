import type {} from '../../../store/zones/tables.ts';
import type { SectionSource } from '../area.ts';
import { childColumnOf, inArea, perChild } from './columns.ts';

/**
 * 三区: places by zone level as they stand — the zones capability's designations, counted like
 * its `/zones/counts` (places per level), here for the area with the sealed count per child.
 */
export const zonesSection: SectionSource<'zones'> = {
  key: 'zones',
  async compute(ctx, area) {
    const child = childColumnOf(area, 'd');
    const rows = await ctx.store.db
      .selectFrom('zone_designations as d')
      .select((eb) => [child.as('child'), 'd.level', eb.fn.countAll<number>().as('n')])
      .where(inArea(area, 'd'))
      .groupBy([child, 'd.level'])
      .execute();
    const totals = { sealed: 0, controlled: 0, precaution: 0 };
    const sealed = new Map<number, number>();
    for (const row of rows) {
      const n = Number(row.n);
      if (row.level in totals) totals[row.level as keyof typeof totals] += n;
      if (row.level === 'sealed' && row.child != null) sealed.set(Number(row.child), n);
    }
    return { data: totals, measures: { zonesSealed: perChild(area, sealed) } };
  },
};
