import type {} from '../../../store/cases/tables.ts';
import { addDays } from '../../../domain/time/calendar.ts';
import type { SectionSource } from '../area.ts';
import { childColumnOf, inArea, perChild } from './columns.ts';

/** Days the trend shows, today included. */
export const TREND_DAYS = 14;

/**
 * 管控内 vs 社会面: cases confirmed (reported) each day of the last two weeks in the area, by the
 * classification the cases capability gave them at sampling — the same count as its daily split
 * (`caseCountsByClass`, by `reported_day`), here per child and per day.
 */
export const casesSection: SectionSource<'cases'> = {
  key: 'cases',
  async compute(ctx, area) {
    const first = addDays(area.today, -(TREND_DAYS - 1));
    const child = childColumnOf(area, 'c');
    const rows = await ctx.store.db
      .selectFrom('cases as c')
      .select((eb) => [
        'c.reported_day as day',
        'c.classification',
        child.as('child'),
        eb.fn.countAll<number>().as('n'),
      ])
      .where(inArea(area, 'c'))
      .where('c.reported_day', '>=', first)
      .where('c.reported_day', '<=', area.today)
      .groupBy(['c.reported_day', 'c.classification', child])
      .execute();
    const trend = Array.from({ length: TREND_DAYS }, (_, i) => ({
      day: addDays(first, i),
      insideControl: 0,
      community: 0,
    }));
    const newCases = new Map<number, number>();
    const community = new Map<number, number>();
    for (const row of rows) {
      const n = Number(row.n);
      const slot = trend.find((d) => d.day === row.day);
      if (!slot) continue;
      if (row.classification === 'community') slot.community += n;
      else slot.insideControl += n;
      if (row.day !== area.today || row.child == null) continue;
      const id = Number(row.child);
      newCases.set(id, (newCases.get(id) ?? 0) + n);
      if (row.classification === 'community') community.set(id, (community.get(id) ?? 0) + n);
    }
    const today = trend[trend.length - 1];
    return {
      data: { today: { insideControl: today.insideControl, community: today.community }, trend },
      measures: { newCases: perChild(area, newCases), communityCases: perChild(area, community) },
    };
  },
};
