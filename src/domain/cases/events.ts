import type { Classification } from './case.ts';

/**
 * The events this capability publishes (catalogue: docs/CASES.md). Every one is addressed to the
 * person's committee or street (ancestors added on write) and, for transfers and stays, also to
 * the facility's street or district and to the facility's and transport team's organisations.
 */
export const CASE_EVENT_TYPES = {
  created: 'case.created',
  stateChanged: 'case.state_changed',
  severityChanged: 'case.severity_changed',
  /** A positive the intake could not turn into a case (unknown person, impossible times). */
  intakeRejected: 'case.intake_rejected',
} as const;

/** Admission is `transfer.admitted` (facility, bed kind and number in its payload). */
export const TRANSFER_EVENT_TYPES = {
  created: 'transfer.created',
  allocated: 'transfer.allocated',
  /** The allocator found no free bed for the order's need (shortage). */
  unplaced: 'transfer.unplaced',
  dispatched: 'transfer.dispatched',
  pickedUp: 'transfer.picked_up',
  arrived: 'transfer.arrived',
  admitted: 'transfer.admitted',
  cancelled: 'transfer.cancelled',
} as const;

export const FACILITY_EVENT_TYPES = {
  created: 'facility.created',
  bedsChanged: 'facility.beds_changed',
  testRecorded: 'facility.test_recorded',
  discharged: 'facility.discharged',
} as const;

/** `case.created` — consumed by zones (seal the residence), tracing (open the investigation), status. */
export interface CaseCreatedPayload {
  caseId: number;
  personId: number;
  districtId: number;
  streetId: number;
  committeeId: number | null;
  /** Residence building. */
  placeId: number | null;
  householdId: number | null;
  sampledAt: number;
  reportedAt: number;
  /** Symptom onset when a clinic reported it; null for screening finds. */
  onsetAt: number | null;
  classification: Classification;
  /** Control kinds active at sampling (whether or not the rule set counts them). */
  controlKinds: string[];
  severity: string;
  highRisk: boolean;
  source: string;
  sourceCaseId: null;
}

export interface CaseStateChangedPayload {
  caseId: number;
  personId: number;
  districtId: number;
  from: string | null;
  to: string;
  at: number;
  actor: string;
  facilityId: number | null;
}

export interface TransferEventPayload {
  orderId: number;
  personId: number;
  caseId: number | null;
  districtId: number;
  streetId: number;
  kind: 'case' | 'contact';
  need: string;
  status: string;
  foundAt: number;
  facilityId: number | null;
  facilityDistrictId: number | null;
  bedKind: string | null;
  bedNo: number | null;
  transportOrgId: number | null;
  vehicle: string | null;
  at: number;
  actor: string;
  reason?: string | null;
}
