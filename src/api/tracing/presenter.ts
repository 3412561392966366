import type { z } from 'zod';
import type { ChainView } from '../../app/tracing/chains.ts';
import type { ContactRow } from '../../store/tracing/contacts.ts';
import type { InvestigationRow, TimelineRow } from '../../store/tracing/investigations.ts';
import type { ClusterRow, SourceLinkRow } from '../../store/tracing/links.ts';
import type {
  chainResponse,
  contactSchema,
  investigationSchema,
  sourceLinkResponse,
  timelineEntrySchema,
} from './schema.ts';

/** The only place that shapes tracing JSON for clients: ids, never names. */

export function presentInvestigation(r: InvestigationRow, now: number): z.infer<typeof investigationSchema> {
  return {
    id: r.id,
    caseId: r.case_id,
    personId: r.person_id,
    districtId: r.district_id,
    streetId: r.street_id,
    status: r.status,
    tracerUserId: r.tracer_user_id,
    onsetAt: r.onset_at,
    sampledAt: r.sampled_at,
    reportedAt: r.reported_at,
    exposureFromAt: r.exposure_from_at,
    deadlineAt: r.deadline_at,
    overdue: r.status === 'open' && now >= r.deadline_at,
    completedAt: r.completed_at,
    classification: r.classification,
    sourceStatus: r.source_status,
    clusterId: r.cluster_id,
    summary: r.summary,
  };
}

export function presentTimeline(r: TimelineRow): z.infer<typeof timelineEntrySchema> {
  return {
    id: r.id,
    placeId: r.place_id,
    placeDistrictId: r.place_district_id,
    description: r.description,
    fromAt: r.from_at,
    untilAt: r.until_at,
  };
}

export function presentContact(r: ContactRow): z.infer<typeof contactSchema> {
  return {
    id: r.id,
    personId: r.person_id,
    districtId: r.district_id,
    streetId: r.street_id,
    caseId: r.case_id,
    caseDistrictId: r.case_district_id,
    degree: r.degree,
    status: r.status,
    exposure: {
      kind: r.exposure_kind,
      placeId: r.exposure_place_id,
      at: r.exposure_at,
      note: r.exposure_note,
    },
    viaContactId: r.via_contact_id,
    proposedBy: r.proposed_by,
    createdAt: r.created_at,
    decidedAt: r.decided_at,
    decisionReason: r.decision_reason,
    plan: r.plan_edition ? { edition: r.plan_edition, untilAt: r.plan_until_at } : null,
    becameCaseId: r.became_case_id,
    crossDistrict: r.district_id !== r.case_district_id,
  };
}

export function presentChain(chain: ChainView): z.infer<typeof chainResponse> {
  return {
    caseId: chain.caseId,
    clusterId: chain.clusterId,
    roots: chain.roots,
    truncated: chain.truncated,
    nodes: chain.nodes.map((n) => ({ ...n, unknownSource: n.sourceStatus === 'unknown' })),
    edges: chain.edges,
  };
}

export function presentCluster(r: ClusterRow) {
  return {
    id: r.id,
    size: r.size,
    districtId: r.district_id,
    firstReportedAt: r.first_reported_at,
    lastReportedAt: r.last_reported_at,
  };
}

export function presentSourceLink(r: SourceLinkRow): z.infer<typeof sourceLinkResponse> {
  return {
    id: r.id,
    caseId: r.case_id,
    sourceCaseId: r.source_case_id,
    certainty: r.certainty,
    basis: r.basis,
    clusterId: r.cluster_id,
    createdAt: r.created_at,
  };
}

/** Keyset pagination: fetch limit + 1, return limit and the cursor for the next page. */
export function page<T extends { id: number }, V>(
  rows: T[],
  limit: number,
  present: (r: T) => V,
): { items: V[]; nextCursor: number | null } {
  const items = rows.slice(0, limit);
  return { items: items.map(present), nextCursor: rows.length > limit ? items[items.length - 1].id : null };
}
