import type { z } from 'zod';
import type { CaseRow, TransitionRow } from '../../store/cases/case-rows.ts';
import type { OrderRow } from '../../store/cases/orders.ts';
import type { caseSchema, orderSummarySchema, transitionSchema } from './schema.ts';

/** The only place that shapes case JSON for clients: ids, never names. */
export function presentCase(r: CaseRow): z.infer<typeof caseSchema> {
  return {
    id: r.id,
    personId: r.person_id,
    districtId: r.district_id,
    streetId: r.street_id,
    committeeId: r.committee_id,
    placeId: r.place_id,
    householdId: r.household_id,
    source: r.source,
    sourceRef: r.source_ref,
    roundId: r.round_id,
    ct: r.ct,
    sampledAt: r.sampled_at,
    reportedAt: r.reported_at,
    sampledDay: r.sampled_day,
    reportedDay: r.reported_day,
    classification: r.classification,
    controlKinds: r.control_kinds ? r.control_kinds.split(',') : [],
    ruleSet: r.rule_set,
    severity: r.severity,
    highRisk: r.high_risk === 1,
    riskFactors: r.risk_factors ? r.risk_factors.split(',') : [],
    state: r.state,
    stateAt: r.state_at,
    facilityId: r.facility_id,
  };
}

export function presentTransition(t: TransitionRow): z.infer<typeof transitionSchema> {
  return {
    from: t.from_state,
    to: t.to_state,
    at: t.at,
    actor: t.actor,
    actorUserId: t.actor_user_id,
    reason: t.reason,
  };
}

export function presentOrderSummary(o: OrderRow): z.infer<typeof orderSummarySchema> {
  return { id: o.id, status: o.status, need: o.need, facilityId: o.facility_id, foundAt: o.found_at };
}

/** One page of a newest-first keyset list (rows holds limit + 1 to tell whether more follow). */
export function page<T extends { id: number }, V>(
  rows: readonly T[],
  limit: number,
  present: (r: T) => V,
): { items: V[]; nextCursor: number | null } {
  const items = rows.slice(0, limit);
  return { items: items.map(present), nextCursor: rows.length > limit ? items[items.length - 1].id : null };
}
