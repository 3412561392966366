import { startRecountWorker } from '../../api/overview/sections/recounter.ts';
import type { AppContext } from '../context.ts';
import { liveServices } from '../server-runtime.ts';
import { registerMonitoringRule } from '../kernel/monitoring-rules.ts';
import { bulletinClockRule } from './rules/bulletin-clock.ts';
import { communityCaseRule } from './rules/community-case.ts';
import { facilityFullRule } from './rules/facility-full.ts';
import { labBacklogRule } from './rules/lab-backlog.ts';
import { siteCapacityRule } from './rules/site-capacity.ts';
import { transportOverdueRule } from './rules/transport-overdue.ts';

/**
 * Command's round-the-clock rules (24小时实时监测) that no other capability owns — the others
 * register theirs (same-day admission: cases; investigation deadline: tracing; lab age and pool
 * positives: screening) — and the bulletin's daily issue, on the kernel's rule runner; and the
 * overview's recount worker among the server's live services.
 */
let liveServiceAdded = false;

export function registerCommand(_ctx: AppContext): void {
  // The overview's recount worker runs beside a running server (see recounter.ts).
  if (!liveServiceAdded) {
    liveServices.push(startRecountWorker);
    liveServiceAdded = true;
  }
  registerMonitoringRule(communityCaseRule);
  registerMonitoringRule(transportOverdueRule);
  registerMonitoringRule(labBacklogRule);
  registerMonitoringRule(facilityFullRule);
  registerMonitoringRule(siteCapacityRule);
  registerMonitoringRule(bulletinClockRule);
}
