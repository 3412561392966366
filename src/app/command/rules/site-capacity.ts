import { reconcileSweep, type Breach } from '../../../domain/command/reconcile.ts';
import { siteHourEstimate } from '../../../domain/command/thresholds.ts';
import type { AlertAction } from '../../../domain/kernel/alerts.ts';
import { openAlertsOf } from '../../../store/command/open-alerts.ts';
import { foldNewScans, recentSiteLoads } from '../../../store/command/site-tally.ts';
import type { MonitoringRule } from '../../kernel/monitoring-rules.ts';

export const SITE_CAPACITY_RULE = 'command.site_over_capacity';
const HOUR_MS = 3_600_000;

/**
 * 采: a sampling site that sampled more people in the last 60 minutes than its rated hourly
 * capacity — the queue outgrows the team (more samplers, or send people elsewhere). Scans are
 * folded into hourly tallies on each tick (store/command/site-tally.ts), so the rule never scans
 * the round's millions of rows. One alert per site, to its street; resolves when back under.
 */
export const siteCapacityRule: MonitoringRule = {
  name: SITE_CAPACITY_RULE,
  level: 'warning',
  eventTypes: [],
  async onTick(now, _ctx, uow): Promise<AlertAction[]> {
    await foldNewScans(uow.trx);
    const loads = await recentSiteLoads(uow.trx, now);
    const breaches: Breach[] = [];
    for (const load of loads) {
      const lastHour = Math.round(siteHourEstimate(load.currentHour, load.previousHour, now % HOUR_MS));
      if (load.hourlyCapacity <= 0 || lastHour <= load.hourlyCapacity) continue;
      breaches.push({
        subjectId: String(load.siteId),
        regionIds: [load.streetId],
        details: { lastHour, hourlyCapacity: load.hourlyCapacity },
      });
    }
    return reconcileSweep({
      rule: SITE_CAPACITY_RULE,
      level: 'warning',
      subjectType: 'sampling_site',
      breaches,
      open: await openAlertsOf(uow.trx, SITE_CAPACITY_RULE),
      resolution: 'the site is back within its hourly capacity',
    });
  },
};
