import { TRANSFER_EVENT_TYPES } from '../../domain/cases/events.ts';
import { missedSameDay } from '../../domain/cases/same-day.ts';
import type { AlertAction } from '../../domain/kernel/alerts.ts';
import type { SameDaySection } from '../../domain/rules/schema.ts';
import { addDays, dayOf, endOfDay, startOfDay } from '../../domain/time/calendar.ts';
import { stillWaitingByDistrict } from '../../store/cases/figures.ts';
import { countUnplaced } from '../../store/cases/orders.ts';
import type { AppContext } from '../context.ts';
import type { MonitoringRule } from '../kernel/monitoring-rules.ts';
import { getActiveRuleSet } from '../kernel/rule-sets.ts';

/**
 * This capability's round-the-clock rules (24小时实时监测), run by the kernel's rule runner.
 * Both raise one alert per district (and need, or day) with a count, not one per person: at the
 * peak one per person would bury the command under thousands.
 */
export const BED_SHORTAGE_RULE = 'beds.shortage';
export const SAME_DAY_RULE = 'transfer.same_day_missed';

interface OrderPayload {
  orderId: number;
  districtId: number;
  need: string;
  kind: 'case' | 'contact';
  foundAt: number;
  wasUnplaced?: boolean;
}

/**
 * 应转尽转: orders the allocator could not place because no free bed fits raise a critical alert
 * for the district and need; it resolves when none of them is left unplaced.
 */
export const bedShortageRule: MonitoringRule = {
  name: BED_SHORTAGE_RULE,
  level: 'critical',
  eventTypes: [TRANSFER_EVENT_TYPES.unplaced, TRANSFER_EVENT_TYPES.allocated, TRANSFER_EVENT_TYPES.cancelled],
  async onEvent(event, _ctx, uow): Promise<AlertAction[]> {
    const p = event.payload as unknown as OrderPayload;
    // Only an order that had been unplaced can change the count by being placed.
    if (event.type === TRANSFER_EVENT_TYPES.allocated && p.wasUnplaced !== true) return [];
    const subject = { type: 'district_need', id: `${p.districtId}:${p.need}` };
    const unplaced = await countUnplaced(uow.trx, p.districtId, p.need);
    if (unplaced === 0) {
      return [
        {
          kind: 'resolve',
          rule: BED_SHORTAGE_RULE,
          subject,
          resolution: 'every order of this need has a bed',
        },
      ];
    }
    return [
      {
        kind: 'open',
        rule: BED_SHORTAGE_RULE,
        level: 'critical',
        subject,
        regionIds: [p.districtId],
        details: { need: p.need, unplacedOrders: unplaced, lastOrderId: p.orderId },
      },
    ];
  },
};

/** The order kinds 日清日结 applies to under the rule set. */
function sameDayKinds(section: SameDaySection): ('case' | 'contact')[] {
  const kinds: ('case' | 'contact')[] = [];
  if (section.appliesTo.includes('positive')) kinds.push('case');
  if (section.appliesTo.some((a) => a !== 'positive')) kinds.push('contact');
  return kinds;
}

/** Days looked back at by the clock: a backlog older than this has long been alerted. */
const LOOKBACK_DAYS = 7;

/**
 * 日清日结: people confirmed on a day and not admitted by its 24:00 open a warning for the district
 * and day, with the count still waiting; it resolves when the last of them is admitted (or the
 * order cancelled). Evaluated on the clock and on each admission or cancellation.
 */
export const sameDayRule: MonitoringRule = {
  name: SAME_DAY_RULE,
  level: 'warning',
  eventTypes: [TRANSFER_EVENT_TYPES.admitted, TRANSFER_EVENT_TYPES.cancelled],
  async onEvent(event, ctx: AppContext, uow): Promise<AlertAction[]> {
    const p = event.payload as unknown as OrderPayload;
    const tz = ctx.config.timeZone;
    const day = dayOf(p.foundAt, tz);
    // Admitted before the day ended: nothing was missed, no query needed.
    if (!missedSameDay({ admittedAt: null, cancelled: false }, endOfDay(day, tz), uow.now)) return [];
    const kinds = sameDayKinds((await getActiveRuleSet(ctx, uow.trx)).sameDay);
    const [row] = await stillWaitingByDistrict(
      uow.trx,
      { from: startOfDay(day, tz), before: endOfDay(day, tz) },
      kinds,
      p.districtId,
    );
    if (row && row.waiting > 0) return [];
    return [
      {
        kind: 'resolve',
        rule: SAME_DAY_RULE,
        subject: { type: 'district_day', id: `${p.districtId}:${day}` },
        resolution: `everyone found on ${day} has been admitted`,
      },
    ];
  },
  async onTick(now, ctx, uow): Promise<AlertAction[]> {
    const tz = ctx.config.timeZone;
    const kinds = sameDayKinds((await getActiveRuleSet(ctx, uow.trx)).sameDay);
    const today = dayOf(now, tz);
    const open = await uow.trx
      .selectFrom('alerts')
      .select('subject_id')
      .where('rule', '=', SAME_DAY_RULE)
      .where('resolved_at', 'is', null)
      .execute();
    const stillOpen = new Set(open.map((a) => a.subject_id));
    const actions: AlertAction[] = [];
    for (let back = 1; back <= LOOKBACK_DAYS; back++) {
      const day = addDays(today, -back);
      const range = { from: startOfDay(day, tz), before: endOfDay(day, tz) };
      for (const row of await stillWaitingByDistrict(uow.trx, range, kinds)) {
        const id = `${row.districtId}:${day}`;
        stillOpen.delete(id);
        actions.push({
          kind: 'open',
          rule: SAME_DAY_RULE,
          level: 'warning',
          subject: { type: 'district_day', id },
          regionIds: [row.districtId],
          details: { day, stillWaiting: row.waiting, oldestFoundAt: row.oldestFoundAt },
        });
      }
    }
    for (const id of stillOpen) {
      const day = id.slice(id.indexOf(':') + 1);
      if (day >= addDays(today, -LOOKBACK_DAYS)) {
        actions.push({
          kind: 'resolve',
          rule: SAME_DAY_RULE,
          subject: { type: 'district_day', id },
          resolution: `everyone found on ${day} has been admitted`,
        });
      }
    }
    return actions;
  },
};
