import type { AlertAction } from '../../../domain/kernel/alerts.ts';
import type { MonitoringRule } from '../../kernel/monitoring-rules.ts';
import { issueDueBulletins } from '../bulletins.ts';

export const BULLETIN_CLOCK_RULE = 'command.bulletin_due';

/**
 * Issues each day's bulletin on the kernel clock once the day is over (deployment time zone,
 * plus the settling time): the rule runner's tick is the platform's one clock, so the bulletin
 * rides on it as the zones' daily step-down does. It raises no alert of its own.
 */
export const bulletinClockRule: MonitoringRule = {
  name: BULLETIN_CLOCK_RULE,
  level: 'info',
  eventTypes: [],
  async onTick(_now, ctx, uow): Promise<AlertAction[]> {
    await issueDueBulletins(ctx, uow);
    return [];
  },
};
