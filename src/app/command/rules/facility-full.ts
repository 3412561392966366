import { TRANSFER_EVENT_TYPES, FACILITY_EVENT_TYPES } from '../../../domain/cases/events.ts';
import { reconcileSweep, type Breach } from '../../../domain/command/reconcile.ts';
import { FACILITY_FULL_SHARE, facilityOverFull } from '../../../domain/command/thresholds.ts';
import type { AlertAction } from '../../../domain/kernel/alerts.ts';
import { loadBedPools, type PoolRow } from '../../../store/cases/beds.ts';
import { openAlertsOf } from '../../../store/command/open-alerts.ts';
import type { AppContext, UnitOfWork } from '../../context.ts';
import type { MonitoringRule } from '../../kernel/monitoring-rules.ts';

export const FACILITY_FULL_RULE = 'command.facility_over_90';

/** A facility's beds summed over kinds, from the cases capability's live bed pools. */
function breachesOf(pools: readonly PoolRow[]): Breach[] {
  const byFacility = new Map<number, { pool: PoolRow; total: number; used: number }>();
  for (const p of pools) {
    const f = byFacility.get(p.facilityId) ?? { pool: p, total: 0, used: 0 };
    f.total += p.total;
    f.used += p.reserved + p.occupied;
    byFacility.set(p.facilityId, f);
  }
  const out: Breach[] = [];
  for (const [id, f] of byFacility) {
    if (!facilityOverFull(f.used, f.total)) continue;
    out.push({
      subjectId: String(id),
      regionIds: [f.pool.streetId ?? f.pool.districtId],
      details: {
        kind: f.pool.facilityKind,
        total: f.total,
        used: f.used,
        share: Math.round((f.used / f.total) * 1000) / 1000,
      },
    });
  }
  return out;
}

async function evaluate(uow: UnitOfWork, facilityIds?: number[]): Promise<AlertAction[]> {
  const pools = await loadBedPools(uow.trx, facilityIds ? { facilityIds } : {});
  let open = await openAlertsOf(uow.trx, FACILITY_FULL_RULE);
  // On an event only the facilities it names are looked at: the others' open alerts stay as they are.
  if (facilityIds) open = new Map([...open].filter(([id]) => facilityIds.includes(Number(id))));
  return reconcileSweep({
    rule: FACILITY_FULL_RULE,
    level: 'warning',
    subjectType: 'facility',
    breaches: breachesOf(pools),
    open,
    resolution: `the facility is back at or below ${FACILITY_FULL_SHARE * 100}% of its beds`,
  });
}

/**
 * 收: a facility (隔离酒店, 方舱, 定点医院) with more than 90% of its beds reserved or occupied —
 * time to open the next one before the allocator runs out (the cases capability's
 * `beds.shortage` fires only once an order finds no bed at all). Evaluated when a bed is taken or
 * freed at a facility, and on the clock for everything else (beds added, a missed event).
 */
export const facilityFullRule: MonitoringRule = {
  name: FACILITY_FULL_RULE,
  level: 'warning',
  eventTypes: [
    TRANSFER_EVENT_TYPES.allocated,
    TRANSFER_EVENT_TYPES.admitted,
    TRANSFER_EVENT_TYPES.cancelled,
    FACILITY_EVENT_TYPES.discharged,
    FACILITY_EVENT_TYPES.bedsChanged,
  ],
  async onEvent(event, _ctx: AppContext, uow): Promise<AlertAction[]> {
    const id = (event.payload as { facilityId?: unknown }).facilityId;
    if (typeof id !== 'number') return [];
    return evaluate(uow, [id]);
  },
  async onTick(_now, _ctx, uow): Promise<AlertAction[]> {
    return evaluate(uow);
  },
};
