import { getActiveRuleSet } from '../../../app/kernel/rule-sets.ts';
import { evaluateClearing } from '../../../domain/cases/clearing.ts';
import { addDays, daysBetween, type CalendarDay } from '../../../domain/time/calendar.ts';
import type {} from '../../../store/cases/tables.ts';
import type { SectionSource } from '../area.ts';
import { childColumnOf, inArea } from './columns.ts';

/** Days looked at to judge streaks (the thresholds need 3; the panel says "at least" beyond). */
const LOOKBACK_DAYS = 28;

/**
 * 社会面清零 per child of the area, by the cases capability's own rule (`evaluateClearing`, with
 * the active rule set's thresholds), judged through yesterday — the last complete day. Counts are
 * community cases by sampling day, as the cases capability dates them.
 */
export const clearingSection: SectionSource<'clearing'> = {
  key: 'clearing',
  async compute(ctx, area) {
    const rules = await getActiveRuleSet(ctx);
    const throughDay = addDays(area.today, -1);
    const firstDay = addDays(throughDay, -(LOOKBACK_DAYS - 1));
    const db = ctx.store.db;
    const child = childColumnOf(area, 'c');
    const community = db
      .selectFrom('cases as c')
      .where('c.classification', '=', 'community')
      .where(inArea(area, 'c'));
    const [dayRows, lastRows] = await Promise.all([
      community
        .select((eb) => [child.as('child'), 'c.sampled_day as day', eb.fn.countAll<number>().as('n')])
        .where('c.sampled_day', '>=', firstDay)
        .where('c.sampled_day', '<=', throughDay)
        .groupBy([child, 'c.sampled_day'])
        .execute(),
      community
        .select((eb) => [child.as('child'), eb.fn.max('c.sampled_day').as('last')])
        .where('c.sampled_day', '<=', throughDay)
        .groupBy(child)
        .execute(),
    ]);
    const counts = new Map<number, Map<CalendarDay, number>>();
    for (const row of dayRows) {
      if (row.child == null) continue;
      const id = Number(row.child);
      const days = counts.get(id) ?? new Map<CalendarDay, number>();
      days.set(row.day, Number(row.n));
      counts.set(id, days);
    }
    const last = new Map(lastRows.map((r) => [Number(r.child), r.last as CalendarDay | null]));
    const children = area.children.map((c) => {
      const lastDay = last.get(c.id) ?? null;
      const status = evaluateClearing({
        firstDay,
        throughDay,
        counts: counts.get(c.id) ?? new Map(),
        population: c.population,
        section: rules.community,
      });
      return {
        regionId: c.id,
        daysSinceCommunityCase: lastDay == null ? null : Math.max(0, daysBetween(lastDay, throughDay)),
        lastCommunityDay: lastDay,
        status: status.level,
        official: c.level === rules.community.unit,
      };
    });
    return { data: { unit: rules.community.unit, throughDay, children } };
  },
};
