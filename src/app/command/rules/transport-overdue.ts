import { reconcileSweep, type Breach } from '../../../domain/command/reconcile.ts';
import { TRANSIT_LIMIT_MS } from '../../../domain/command/thresholds.ts';
import type { AlertAction } from '../../../domain/kernel/alerts.ts';
import { openAlertsOf } from '../../../store/command/open-alerts.ts';
import type { MonitoringRule } from '../../kernel/monitoring-rules.ts';

export const TRANSPORT_OVERDUE_RULE = 'command.transport_overdue';

/**
 * 送: transport boxes handed to a courier and not received by their lab within TRANSIT_LIMIT_MS
 * (tubes in transit too long). One alert per sending district and lab — the route that is
 * failing — with the late boxes and tubes counted; it resolves when none on that route is late.
 * Evaluated on the clock (lateness is time passing, not an event); the boxes' lab index keeps
 * the read to boxes on the road.
 */
export const transportOverdueRule: MonitoringRule = {
  name: TRANSPORT_OVERDUE_RULE,
  level: 'warning',
  eventTypes: [],
  async onTick(now, _ctx, uow): Promise<AlertAction[]> {
    const late = await uow.trx
      .selectFrom('transport_boxes')
      .select((eb) => [
        'district_id',
        'lab_id',
        eb.fn.countAll<number>().as('boxes'),
        eb.fn.sum<number>('tubes').as('tubes'),
        eb.fn.min('dispatched_at').as('oldest'),
      ])
      .where('state', '=', 'dispatched')
      .where('dispatched_at', '<', now - TRANSIT_LIMIT_MS)
      .groupBy(['district_id', 'lab_id'])
      .execute();
    const breaches: Breach[] = late.map((r) => ({
      subjectId: `${r.district_id}:${r.lab_id ?? 'none'}`,
      regionIds: [Number(r.district_id)],
      details: {
        labId: r.lab_id == null ? null : Number(r.lab_id),
        boxes: Number(r.boxes),
        tubes: Number(r.tubes ?? 0),
        oldestDispatchedAt: Number(r.oldest),
        limitHours: TRANSIT_LIMIT_MS / 3_600_000,
      },
    }));
    return reconcileSweep({
      rule: TRANSPORT_OVERDUE_RULE,
      level: 'warning',
      subjectType: 'transport_route',
      breaches,
      open: await openAlertsOf(uow.trx, TRANSPORT_OVERDUE_RULE),
      resolution: 'every box on this route has reached its lab',
    });
  },
};
