import { CONTROL_KINDS, type ControlKind } from '../../../domain/kernel/control-episodes.ts';
import type { OverviewArea, SectionSource } from '../area.ts';
import type { AppContext } from '../../../app/context.ts';
import { childOf, foldChildCounts, personColumn } from './group.ts';

/** Active control episodes ([from, until) covers now) of people living in the area. */
function activeEpisodes(ctx: AppContext, area: OverviewArea) {
  let query = ctx.store.db
    .selectFrom('control_episodes as ce')
    .innerJoin('people as p', (join) =>
      join.onRef('p.id', '=', 'ce.person_id').onRef('p.district_id', '=', 'ce.district_id'),
    )
    .where('ce.from_at', '<=', area.now)
    .where((eb) => eb.or([eb('ce.until_at', 'is', null), eb('ce.until_at', '>', area.now)]));
  if (area.filterColumn) query = query.where(personColumn(area.filterColumn), '=', area.region.id);
  return query;
}

/** People under control now, by kind and per child (a person counts once per kind and once overall). */
export const controlSection: SectionSource<'control'> = {
  key: 'control',
  async compute(ctx, area) {
    const byKindRows = await activeEpisodes(ctx, area)
      .select((eb) => ['ce.kind', eb.fn.count<number>('ce.person_id').distinct().as('n')])
      .groupBy('ce.kind')
      .execute();
    const child = childOf(area);
    const byChildRows = await activeEpisodes(ctx, area)
      .select((eb) => [child.as('child'), eb.fn.count<number>('ce.person_id').distinct().as('n')])
      .groupBy(child)
      .execute();
    const active = Object.fromEntries(CONTROL_KINDS.map((k) => [k, 0])) as Record<ControlKind, number>;
    for (const row of byKindRows) if (row.kind in active) active[row.kind] = Number(row.n);
    const { total, byChild } = foldChildCounts(byChildRows);
    return {
      data: { active, total },
      measures: { underControl: new Map(area.children.map((c) => [c.id, byChild.get(c.id) ?? 0])) },
    };
  },
};
