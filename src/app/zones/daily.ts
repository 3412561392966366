import { sql } from 'kysely';
import type { AlertAction } from '../../domain/kernel/alerts.ts';
import type { CordonEvent } from '../../domain/kernel/events.ts';
import { dayOf } from '../../domain/time/calendar.ts';
import type { AppContext } from '../context.ts';
import { orderDutyDay } from '../compliance/duties.ts';
import type { MonitoringRule } from '../kernel/monitoring-rules.ts';
import { proposeStepDowns, type ProposalRunReport } from './proposals.ts';

/**
 * The daily turn of zones and duties, driven by the kernel's rule clock: on the first tick of a
 * calendar day the step-down proposals are made and the day's first per-day duty tests ordered.
 * The day is claimed in `settings` inside the tick's transaction, so one process runs it once;
 * the work itself runs after that transaction (on SQLite a transaction of its own inside the
 * tick's would wait for itself). Pending proposals raise one alert per district until decided.
 */
export const DAILY_SETTING = 'zones.daily_day';
const RULE = 'zones.step_down_pending';

export interface DailyReport {
  day: string;
  proposals: ProposalRunReport;
  dutyOrders: number;
}

export async function runDailyZonesAndDuties(ctx: AppContext): Promise<DailyReport> {
  const day = dayOf(ctx.clock.now(), ctx.config.timeZone);
  const proposals = await proposeStepDowns(ctx);
  const dutyOrders = await orderDutyDay(ctx, day);
  return { day, proposals, dutyOrders };
}

const runs = new WeakMap<AppContext, Promise<DailyReport | null>>();

/** The daily run the clock started last in this context (null if it failed), for operators and tests. */
export function lastDailyRun(ctx: AppContext): Promise<DailyReport | null> | undefined {
  return runs.get(ctx);
}

interface ProposalPayload {
  districtId: number;
}

export const zoneDailyRule: MonitoringRule = {
  name: RULE,
  level: 'info',
  eventTypes: ['zone.proposed', 'zone.proposal.decided'],
  async onEvent(event: CordonEvent, _ctx, uow): Promise<AlertAction[]> {
    const { districtId } = event.payload as unknown as ProposalPayload;
    const row = await uow.trx
      .selectFrom('zone_proposals')
      .select(sql<number>`count(*)`.as('n'))
      .where('district_id', '=', districtId)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    const pending = Number(row?.n ?? 0);
    const subject = { type: 'region', id: String(districtId) };
    if (pending === 0) {
      return [
        { kind: 'resolve', rule: RULE, subject, resolution: 'every zone step-down proposal was decided' },
      ];
    }
    return [
      {
        kind: 'open',
        rule: RULE,
        level: 'info',
        subject,
        regionIds: [districtId],
        details: { pendingProposals: pending },
      },
    ];
  },
  async onTick(now, ctx, uow): Promise<AlertAction[]> {
    const today = dayOf(now, ctx.config.timeZone);
    const done = await uow.trx
      .selectFrom('settings')
      .select('value')
      .where('key', '=', DAILY_SETTING)
      .executeTakeFirst();
    // Once per calendar day of the clock — also a day before the last one run: a clock set back
    // (a simulation's spring, after the server's first tick ran on today's date) starts its days
    // afresh. A run repeated for a day changes nothing (identical pending proposals are kept).
    if (done && done.value === today) return [];
    await uow.trx
      .insertInto('settings')
      .values({ key: DAILY_SETTING, value: today })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: today }))
      .execute();
    const run = new Promise<DailyReport | null>((resolve) => {
      setImmediate(() => {
        runDailyZonesAndDuties(ctx).then(resolve, (error: unknown) => {
          console.error('[zones] daily run failed:', error);
          resolve(null);
        });
      });
    });
    runs.set(ctx, run);
    return [];
  },
};
