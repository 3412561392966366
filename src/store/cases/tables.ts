/**
 * Row types of the tables migration 0020_cases adds (cases, transfer, beds, admissions), merged
 * into the shared `Database` interface by declaration merging, so this capability's queries are
 * typed without editing store/schema.ts. Times are epoch ms; days are 'YYYY-MM-DD' in the
 * deployment's zone, stored so per-day figures group without dialect-specific date functions.
 */
import type { Generated } from 'kysely';

export interface CaseTable {
  id: Generated<number>;
  district_id: number;
  street_id: number;
  committee_id: number | null;
  person_id: number;
  /** Residence building at the time of the report. */
  place_id: number | null;
  household_id: number | null;
  source: string;
  /** Unique per district: one case per source (a redelivered result finds its case). */
  source_key: string;
  /** Tube code, clinic report number… */
  source_ref: string;
  round_id: string | null;
  ct: number | null;
  sampled_at: number;
  reported_at: number;
  sampled_day: string;
  reported_day: string;
  classification: 'inside_control' | 'community';
  /** Comma-separated control kinds active at sampling (whether or not they counted). */
  control_kinds: string;
  /** name@version of the rule set that classified it. */
  rule_set: string;
  severity: string;
  high_risk: number;
  risk_factors: string;
  state: string;
  state_at: number;
  facility_id: number | null;
  created_at: number;
  created_by: number | null;
}

export interface StateTransitionTable {
  id: Generated<number>;
  district_id: number;
  subject_type: 'case' | 'transfer' | 'admission';
  subject_id: number;
  from_state: string | null;
  to_state: string;
  at: number;
  actor_user_id: number | null;
  actor: string;
  reason: string | null;
}

export interface TransferOrderTable {
  id: Generated<number>;
  district_id: number;
  street_id: number;
  committee_id: number | null;
  person_id: number;
  case_id: number | null;
  kind: 'case' | 'contact';
  need: string;
  need_reason: string;
  source_type: string;
  source_id: string;
  status: string;
  /** When the person was confirmed: the clock of 日清日结 starts here. */
  found_at: number;
  pickup_lng: number | null;
  pickup_lat: number | null;
  facility_id: number | null;
  facility_district_id: number | null;
  bed_kind: string | null;
  bed_no: number | null;
  proposed_facility_id: number | null;
  override_reason: string | null;
  allocated_at: number | null;
  allocated_by: number | null;
  /** First time the allocator found no bed (shortage); cleared once placed. */
  unplaced_at: number | null;
  transport_org_id: number | null;
  vehicle: string | null;
  dispatched_at: number | null;
  picked_up_at: number | null;
  arrived_at: number | null;
  admitted_at: number | null;
  admission_id: number | null;
  cancelled_at: number | null;
  cancel_reason: string | null;
  created_at: number;
  created_by: number | null;
}

/** Live counters per (facility, bed kind); totals stay in facility_beds. */
export interface BedOccupancyTable {
  facility_id: number;
  bed_kind: string;
  district_id: number;
  reserved: number;
  occupied: number;
  /** Next bed number to try: keeps picking a free bed O(1) while beds fill in order. */
  cursor: number;
}

/** Who is in (or on the way to) which numbered bed; at most one live row per bed and per order. */
export interface BedAssignmentTable {
  id: Generated<number>;
  /** The facility's district. */
  district_id: number;
  facility_id: number;
  bed_kind: string;
  bed_no: number;
  order_id: number;
  person_id: number;
  status: 'reserved' | 'occupied';
  since: number;
  released_at: number | null;
}

export interface AdmissionTable {
  id: Generated<number>;
  /** The person's district (colocated with the case and the order). */
  district_id: number;
  person_id: number;
  case_id: number | null;
  order_id: number;
  kind: 'case' | 'contact';
  need: string;
  facility_id: number;
  facility_district_id: number;
  bed_kind: string;
  bed_no: number;
  admitted_at: number;
  admitted_day: string;
  admitted_by: number | null;
  episode_id: number | null;
  ended_at: number | null;
  ended_day: string | null;
  outcome: 'discharged' | 'died' | null;
  end_reason: string | null;
  override_reason: string | null;
  ended_by: number | null;
}

export interface StayTestTable {
  id: Generated<number>;
  district_id: number;
  admission_id: number;
  sampled_at: number;
  result: 'negative' | 'positive';
  ct: number | null;
  recorded_at: number;
  recorded_by: number | null;
}

declare module '../schema.ts' {
  interface Database {
    cases: CaseTable;
    state_transitions: StateTransitionTable;
    transfer_orders: TransferOrderTable;
    bed_occupancy: BedOccupancyTable;
    bed_assignments: BedAssignmentTable;
    admissions: AdmissionTable;
    stay_tests: StayTestTable;
  }
}
