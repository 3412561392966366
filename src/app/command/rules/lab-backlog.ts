import { reconcileSweep, type Breach } from '../../../domain/command/reconcile.ts';
import { labOverCapacity } from '../../../domain/command/thresholds.ts';
import type { AlertAction } from '../../../domain/kernel/alerts.ts';
import { openAlertsOf } from '../../../store/command/open-alerts.ts';
import type { AppContext } from '../../context.ts';
import type { MonitoringRule } from '../../kernel/monitoring-rules.ts';

export const LAB_BACKLOG_RULE = 'command.lab_backlog';

/**
 * 检: a lab holding more received tubes without a result than it can test in a day (its
 * `daily_capacity`) — the backlog will not clear today, and every hour adds to the turnaround.
 * Screening's `screening.lab_overdue` watches the age of single tubes; this watches the size of
 * the queue against the lab. One critical alert per lab, to the lab's street and district.
 */
export const labBacklogRule: MonitoringRule = {
  name: LAB_BACKLOG_RULE,
  level: 'critical',
  eventTypes: [],
  async onTick(_now, ctx: AppContext, uow): Promise<AlertAction[]> {
    const waiting = await uow.trx
      .selectFrom('tubes')
      .select((eb) => ['lab_id', eb.fn.countAll<number>().as('n')])
      .where('state', '=', 'received')
      .groupBy('lab_id')
      .execute();
    const labs = await uow.trx
      .selectFrom('organisations')
      .select(['id', 'district_id', 'street_id', 'daily_capacity'])
      .where('kind', '=', 'lab')
      .execute();
    const byLab = new Map(waiting.map((r) => [Number(r.lab_id), Number(r.n)]));
    const breaches: Breach[] = [];
    for (const lab of labs) {
      const n = byLab.get(Number(lab.id)) ?? 0;
      if (!labOverCapacity(n, lab.daily_capacity)) continue;
      const leaf =
        lab.street_id != null && ctx.regions.get(Number(lab.street_id)) ? lab.street_id : lab.district_id;
      breaches.push({
        subjectId: String(lab.id),
        regionIds: [Number(leaf)],
        details: { waitingTubes: n, dailyCapacity: Number(lab.daily_capacity) },
      });
    }
    return reconcileSweep({
      rule: LAB_BACKLOG_RULE,
      level: 'critical',
      subjectType: 'organisation',
      breaches,
      open: await openAlertsOf(uow.trx, LAB_BACKLOG_RULE),
      resolution: 'the lab backlog is back within a day of its capacity',
    });
  },
};
