import type { AppContext } from '../context.ts';
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
 * positives: screening) — and the bulletin's daily issue, on the kernel's rule runner.
 */
export function registerCommand(_ctx: AppContext): void {
  registerMonitoringRule(communityCaseRule);
  registerMonitoringRule(transportOverdueRule);
  registerMonitoringRule(labBacklogRule);
  registerMonitoringRule(facilityFullRule);
  registerMonitoringRule(siteCapacityRule);
  registerMonitoringRule(bulletinClockRule);
}
