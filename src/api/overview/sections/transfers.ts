import { getActiveRuleSet } from '../../../app/kernel/rule-sets.ts';
import { sameDayFigures, type SameDayOrder } from '../../../domain/cases/same-day.ts';
import type { SameDaySection } from '../../../domain/rules/schema.ts';
import { endOfDay, startOfDay } from '../../../domain/time/calendar.ts';
import { ordersFoundOn } from '../../../store/cases/figures.ts';
import type { SectionSource } from '../area.ts';
import { inArea } from './columns.ts';

/** Which orders 日清日结 counts under the rule set — the cases capability's reading (figures.ts). */
function counted(section: SameDaySection, kind: 'case' | 'contact', need: string): boolean {
  if (kind === 'case') return section.appliesTo.includes('positive');
  return (section.appliesTo as readonly string[]).includes(need);
}

/**
 * 应转尽转、日清日结 in the area: orders still waiting, and today's confirmed with how many were
 * admitted the same day — the cases capability's own figures (`ordersFoundOn` + `sameDayFigures`),
 * filtered by the person's region as its reports are.
 */
export const transfersSection: SectionSource<'transfers'> = {
  key: 'transfers',
  async compute(ctx, area) {
    const tz = ctx.config.timeZone;
    const db = ctx.store.db;
    const waitingRow = await db
      .selectFrom('transfer_orders as o')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(inArea(area, 'o'))
      .where('o.status', 'in', ['waiting', 'allocated', 'dispatched', 'picked_up', 'arrived'])
      .executeTakeFirst();
    const rules = await getActiveRuleSet(ctx);
    const end = endOfDay(area.today, tz);
    const filter = area.filterColumn ? { column: area.filterColumn, id: area.region.id } : null;
    const rows = await ordersFoundOn(db, { from: startOfDay(area.today, tz), before: end }, filter);
    const orders: SameDayOrder[] = rows
      .filter((r) => counted(rules.sameDay, r.kind, r.need))
      .map((r) => ({
        districtId: r.districtId,
        kind: r.kind,
        foundAt: r.foundAt,
        pickedUpAt: r.pickedUpAt,
        admittedAt: r.admittedAt,
        cancelled: r.status === 'cancelled',
      }));
    const today = sameDayFigures(orders, end, area.now);
    return {
      data: {
        waiting: Number(waitingRow?.n ?? 0),
        confirmedToday: today.found,
        admittedSameDay: today.admittedSameDay,
        sameDayShare: today.sameDayShare,
        waitP90Minutes: today.waitP90Minutes,
      },
    };
  },
};
