import type { z } from 'zod';
import type { ZoneChangeRow, ZoneProposalRow } from '../../store/zones/changes.ts';
import type { StoredDesignation } from '../../store/zones/designations.ts';
import type { ChangeView, DesignationView, ProposalView } from './schema.ts';

/** The only place that shapes zone JSON for clients. */
export function presentDesignation(d: StoredDesignation): z.infer<typeof DesignationView> {
  return {
    id: d.id,
    placeId: d.placeId,
    placeKind: d.placeKind,
    districtId: d.districtId,
    streetId: d.streetId,
    committeeId: d.committeeId,
    level: d.level,
    phase: d.phase,
    periodStartDay: d.periodStartDay,
    since: d.since,
    lastPositiveDay: d.lastPositiveDay,
    causeCaseIds: [...d.causeCaseIds],
    hold: d.hold,
    ruleSet: d.ruleSet,
  };
}

export function presentChange(r: ZoneChangeRow): z.infer<typeof ChangeView> {
  return {
    at: r.at,
    day: r.day,
    change: r.change,
    from: r.from_level ? { level: r.from_level, phase: r.from_phase ?? '' } : null,
    to: { level: r.to_level, phase: r.to_phase },
    periodStartDay: r.period_start_day,
    reason: r.reason,
    details: JSON.parse(r.details) as Record<string, unknown>,
    proposalId: r.proposal_id,
    by: r.username,
  };
}

export function presentProposal(r: ZoneProposalRow): z.infer<typeof ProposalView> {
  return {
    id: r.id,
    designationId: r.designation_id,
    placeId: r.place_id,
    from: { level: r.from_level, phase: r.from_phase },
    to: r.to_level ? { level: r.to_level, phase: r.to_phase ?? '' } : null,
    dueDay: r.due_day,
    reason: r.reason,
    status: r.status,
    proposedAt: r.proposed_at,
    decidedAt: r.decided_at,
    decidedBy: r.decided_by_name,
    decisionReason: r.decision_reason,
    ruleSet: r.rule_set,
  };
}
