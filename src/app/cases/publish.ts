import {
  CASE_EVENT_TYPES,
  TRANSFER_EVENT_TYPES,
  type CaseCreatedPayload,
  type CaseStateChangedPayload,
  type TransferEventPayload,
} from '../../domain/cases/events.ts';
import type { Insertable } from 'kysely';
import type { CaseRow } from '../../store/cases/case-rows.ts';
import { insertTransitions } from '../../store/cases/case-rows.ts';
import type { OrderStepRow } from '../../store/cases/orders.ts';
import type { StateTransitionTable } from '../../store/cases/tables.ts';
import type { UnitOfWork } from '../context.ts';
import type { Actor } from './actor.ts';
import type { FacilityInfo } from './facilities-cache.ts';

/** The most specific region of a person's row: committee, else street. */
export function leafRegion(row: { committee_id: number | null; street_id: number }): number {
  return row.committee_id ?? row.street_id;
}

/** The facility's street, else its district: where its events go besides the person's regions. */
export function facilityRegion(f: Pick<FacilityInfo, 'streetId' | 'districtId'>): number {
  return f.streetId ?? f.districtId;
}

export function publishCaseCreated(uow: UnitOfWork, c: CaseRow, onsetAt: number | null): void {
  const payload: CaseCreatedPayload = {
    caseId: c.id,
    personId: c.person_id,
    districtId: c.district_id,
    streetId: c.street_id,
    committeeId: c.committee_id,
    placeId: c.place_id,
    householdId: c.household_id,
    sampledAt: c.sampled_at,
    reportedAt: c.reported_at,
    onsetAt,
    classification: c.classification,
    controlKinds: c.control_kinds ? c.control_kinds.split(',') : [],
    severity: c.severity,
    highRisk: c.high_risk === 1,
    source: c.source,
    sourceCaseId: null,
  };
  uow.publish({
    type: CASE_EVENT_TYPES.created,
    occurredAt: c.reported_at,
    regionIds: [leafRegion(c)],
    personId: c.person_id,
    payload: { ...payload },
  });
}

/** A case state change: recorded as a transition (time and actor) and published. */
export interface CaseMove {
  row: Pick<CaseRow, 'id' | 'person_id' | 'district_id' | 'street_id' | 'committee_id'>;
  from: string | null;
  to: string;
  facility?: FacilityInfo | null;
  reason?: string | null;
}

export async function recordCaseMoves(
  uow: UnitOfWork,
  moves: readonly CaseMove[],
  actor: Actor,
  at = uow.now,
): Promise<void> {
  await insertTransitions(
    uow.trx,
    moves.map((m) =>
      transition('case', m.row.id, m.row.district_id, m.from, m.to, actor, at, m.reason ?? null),
    ),
  );
  for (const m of moves) {
    const payload: CaseStateChangedPayload = {
      caseId: m.row.id,
      personId: m.row.person_id,
      districtId: m.row.district_id,
      from: m.from,
      to: m.to,
      at,
      actor: actor.name,
      facilityId: m.facility?.id ?? null,
    };
    const regionIds = [leafRegion(m.row), ...(m.facility ? [facilityRegion(m.facility)] : [])];
    uow.publish({
      type: CASE_EVENT_TYPES.stateChanged,
      occurredAt: at,
      regionIds,
      personId: m.row.person_id,
      organisationIds: m.facility ? [m.facility.organisationId] : [],
      payload: { ...payload },
    });
  }
}

export function transition(
  subjectType: StateTransitionTable['subject_type'],
  subjectId: number,
  districtId: number,
  from: string | null,
  to: string,
  actor: Actor,
  at: number,
  reason: string | null,
): Insertable<StateTransitionTable> {
  return {
    district_id: districtId,
    subject_type: subjectType,
    subject_id: subjectId,
    from_state: from,
    to_state: to,
    at,
    actor_user_id: actor.userId,
    actor: actor.name,
    reason,
  };
}

type TransferType = (typeof TRANSFER_EVENT_TYPES)[keyof typeof TRANSFER_EVENT_TYPES];

/**
 * A transfer order step: recorded as a transition and published to the person's regions, the
 * facility's (when it has one) and the organisations involved (facility, transport team).
 */
export async function recordOrderSteps(
  uow: UnitOfWork,
  type: TransferType,
  steps: readonly {
    order: OrderStepRow;
    from: string | null;
    facility: FacilityInfo | null;
    reason?: string | null;
    extra?: Record<string, unknown>;
  }[],
  actor: Actor,
  at = uow.now,
): Promise<void> {
  if (steps.length === 0) return;
  await insertTransitions(
    uow.trx,
    steps.map((s) =>
      transition(
        'transfer',
        s.order.id,
        s.order.district_id,
        s.from,
        s.order.status,
        actor,
        at,
        s.reason ?? null,
      ),
    ),
  );
  for (const { order: o, facility, reason, extra } of steps) {
    const payload: TransferEventPayload = {
      orderId: o.id,
      personId: o.person_id,
      caseId: o.case_id,
      districtId: o.district_id,
      streetId: o.street_id,
      kind: o.kind,
      need: o.need,
      status: o.status,
      foundAt: o.found_at,
      facilityId: o.facility_id,
      facilityDistrictId: o.facility_district_id,
      bedKind: o.bed_kind,
      bedNo: o.bed_no,
      transportOrgId: o.transport_org_id,
      vehicle: o.vehicle,
      at,
      actor: actor.name,
      ...(reason ? { reason } : {}),
    };
    const organisationIds = [facility?.organisationId, o.transport_org_id].filter(
      (x): x is number => x != null,
    );
    uow.publish({
      type,
      occurredAt: at,
      regionIds: [leafRegion(o), ...(facility ? [facilityRegion(facility)] : [])],
      personId: o.person_id,
      organisationIds,
      payload: { ...payload, ...extra },
    });
  }
}
