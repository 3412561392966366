import type { AlertAction } from '../../domain/kernel/alerts.ts';
import type { MonitoringRule } from '../kernel/monitoring-rules.ts';

/**
 * Screening's round-the-clock rules (24小时实时监测):
 * - a positive pool opens an alert to the streets and districts of its members, resolved when
 *   every member's single-tube retest order is answered;
 * - a lab holding received tubes without a result for longer than LAB_OVERDUE_HOURS opens an
 *   alert for that lab's district, resolved when its backlog is cleared.
 */
const POOL = 'screening.pool_positive';
const LAB = 'screening.lab_overdue';

/** Shanghai's labs were asked to report within 12 h of receipt (采样后24小时内出结果 overall). */
export const LAB_OVERDUE_HOURS = 12;

export const poolPositiveRule: MonitoringRule = {
  name: POOL,
  level: 'warning',
  eventTypes: ['pool.positive', 'test_order.fulfilled', 'test_order.cancelled'],
  async onEvent(event, _ctx, uow): Promise<AlertAction[]> {
    const p = event.payload as {
      tubeId?: number;
      tubeCode?: string;
      members?: number;
      regionIds?: number[];
      reason?: string;
      source?: { type: string; id: string };
    };
    if (event.type === 'pool.positive') {
      return [
        {
          kind: 'open',
          rule: POOL,
          level: 'warning',
          subject: { type: 'tube', id: String(p.tubeId) },
          regionIds: p.regionIds ?? [],
          details: { tubeCode: p.tubeCode, members: p.members },
        },
      ];
    }
    if (p.reason !== 'pool_retest' || p.source?.type !== 'tube') return [];
    const open = await uow.trx
      .selectFrom('test_orders')
      .select('id')
      .where('source_type', '=', 'tube')
      .where('source_id', '=', p.source.id)
      .where('reason', '=', 'pool_retest')
      .where('status', '=', 'open')
      .limit(1)
      .execute();
    if (open.length > 0) return [];
    return [
      {
        kind: 'resolve',
        rule: POOL,
        subject: { type: 'tube', id: p.source.id },
        resolution: 'every member of the pool has been retested',
      },
    ];
  },
};

export const labOverdueRule: MonitoringRule = {
  name: LAB,
  level: 'warning',
  eventTypes: [],
  async onTick(now, ctx, uow): Promise<AlertAction[]> {
    const late = await uow.trx
      .selectFrom('tubes')
      .select(['lab_id', (eb) => eb.fn.countAll().as('n')])
      .where('state', '=', 'received')
      .where('received_at', '<', now - LAB_OVERDUE_HOURS * 3600_000)
      .groupBy('lab_id')
      .execute();
    const labs = await uow.trx
      .selectFrom('organisations')
      .select(['id', 'district_id', 'street_id'])
      .where('kind', '=', 'lab')
      .execute();
    const lateBy = new Map(late.map((r) => [Number(r.lab_id), Number(r.n)]));
    return labs.map((lab): AlertAction => {
      const subject = { type: 'organisation', id: String(lab.id) };
      const n = lateBy.get(Number(lab.id));
      if (!n) {
        return { kind: 'resolve', rule: LAB, subject, resolution: 'no tube waits longer than the limit' };
      }
      const region = ctx.regions.get(Number(lab.street_id ?? lab.district_id))
        ? Number(lab.street_id ?? lab.district_id)
        : Number(lab.district_id);
      return {
        kind: 'open',
        rule: LAB,
        level: 'warning',
        subject,
        regionIds: [region],
        details: { tubesOverdue: n, hours: LAB_OVERDUE_HOURS },
      };
    });
  },
};
