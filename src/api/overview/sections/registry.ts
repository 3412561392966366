import type { SectionSource } from '../area.ts';
import { childOf, foldChildCounts, personColumn } from './group.ts';

/**
 * Census population (from the region tree) and people registered in Cordon, per child. People
 * change only on imports and seeding, and counting them is the overview's heaviest query at
 * city scale, so counts are kept for a short while per region.
 */
const PEOPLE_COUNT_TTL_MS = 30_000;
const cache = new WeakMap<object, Map<number, { at: number; total: number; byChild: Map<number, number> }>>();

export const registrySection: SectionSource<'registry'> = {
  key: 'registry',
  async compute(ctx, area) {
    let perContext = cache.get(ctx.store);
    if (!perContext) cache.set(ctx.store, (perContext = new Map()));
    // Wall time, not the injectable clock: this bounds staleness of a cache, not a rule.
    const cached = perContext.get(area.region.id);
    let counts = cached && Date.now() - cached.at < PEOPLE_COUNT_TTL_MS ? cached : undefined;
    if (!counts) {
      let query = ctx.store.db.selectFrom('people as p').where('p.purged_at', 'is', null);
      if (area.filterColumn) query = query.where(personColumn(area.filterColumn), '=', area.region.id);
      const child = childOf(area);
      const rows = await query
        .select((eb) => [child.as('child'), eb.fn.countAll<number>().as('n')])
        .groupBy(child)
        .execute();
      counts = { at: Date.now(), ...foldChildCounts(rows) };
      perContext.set(area.region.id, counts);
    }
    return {
      data: { population: area.region.population, people: counts.total },
      measures: {
        population: new Map(area.children.map((c) => [c.id, c.population])),
        people: new Map(area.children.map((c) => [c.id, counts.byChild.get(c.id) ?? 0])),
      },
    };
  },
};
