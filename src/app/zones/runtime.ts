import type { RuleBundle } from '../../domain/rules/schema.ts';
import type { ZonesSection } from '../../domain/rules/zones-schema.ts';
import { dayOf, type CalendarDay } from '../../domain/time/calendar.ts';
import type { LevelAndPhase } from '../../domain/zones/types.ts';
import type { StoredDesignation } from '../../store/zones/designations.ts';
import type { AppContext, UnitOfWork } from '../context.ts';
import { getActiveRuleSet } from '../kernel/rule-sets.ts';

/** What every zone service step needs: the unit of work, the active rules and today's calendar day. */
export interface ZoneRuntime {
  ctx: AppContext;
  uow: UnitOfWork;
  zones: ZonesSection;
  /** name@version, recorded on each designation and proposal. */
  ruleSet: string;
  today: CalendarDay;
  /** Who acted: a user, or null for the rules themselves. */
  actor: { userId: number | null; username: string | null };
}

export async function zoneRuntime(
  ctx: AppContext,
  uow: UnitOfWork,
  actor: ZoneRuntime['actor'] = { userId: null, username: null },
): Promise<ZoneRuntime> {
  const bundle: RuleBundle = await getActiveRuleSet(ctx, uow.trx);
  return {
    ctx,
    uow,
    zones: bundle.zones,
    ruleSet: `${bundle.name}@${bundle.version}`,
    today: dayOf(uow.now, ctx.config.timeZone),
    actor,
  };
}

/** Event types zones publish (docs/ZONES.md). */
export const ZONE_EVENTS = {
  changed: 'zone.changed',
  proposed: 'zone.proposed',
  decided: 'zone.proposal.decided',
} as const;

/** Publishes one change of a designation to the place's regions. */
export function publishZoneChange(
  rt: ZoneRuntime,
  d: StoredDesignation,
  change: string,
  from: LevelAndPhase | null,
  reason: { code: string; text: string },
): void {
  rt.uow.publish({
    type: ZONE_EVENTS.changed,
    occurredAt: rt.uow.now,
    regionIds: [d.committeeId ?? d.streetId],
    payload: {
      designationId: d.id,
      placeId: d.placeId,
      placeKind: d.placeKind,
      districtId: d.districtId,
      streetId: d.streetId,
      change,
      from,
      to: { level: d.level, phase: d.phase },
      periodStartDay: d.periodStartDay,
      holdUntilDay: d.hold?.untilDay ?? null,
      reason: reason.text,
      reasonCode: reason.code,
    },
  });
}
