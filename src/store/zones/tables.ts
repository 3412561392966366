import type { Generated } from 'kysely';
import type { ZoneLevel } from '../../domain/zones/types.ts';

/**
 * Row types of the zones tables (migration 0030_zones_status). Days are 'YYYY-MM-DD' calendar
 * days in the deployment's zone; instants are epoch ms; JSON is text.
 */

/** One row per place ever designated: its zone as it stands (history is zone_changes). */
export interface ZoneDesignationTable {
  id: Generated<number>;
  district_id: number;
  street_id: number;
  committee_id: number | null;
  place_id: number;
  place_kind: string;
  /** The compound of a building, copied so residents' cover is one indexed read. */
  parent_place_id: number | null;
  level: ZoneLevel;
  phase: string;
  period_start_day: string;
  since_at: number;
  level_since_at: number;
  last_positive_day: string | null;
  /** JSON array of case ids that started the current period. */
  cause_case_ids: string;
  hold_compound_designation_id: number | null;
  hold_until_day: string | null;
  /** name@version of the rule set that last moved it. */
  rule_set: string;
  created_at: number;
  updated_at: number;
}

/** Every change of a designation, with its reason (../SPEC "every change is recorded with its reason"). */
export interface ZoneChangeTable {
  id: Generated<number>;
  district_id: number;
  designation_id: number;
  place_id: number;
  at: number;
  day: string;
  /** designate | restart | note_positive | hold | step_down | rest_of_compound | hold_ended | superseded | manual */
  change: string;
  from_level: ZoneLevel | null;
  from_phase: string | null;
  to_level: ZoneLevel;
  to_phase: string;
  period_start_day: string;
  reason_code: string;
  reason: string;
  /** JSON: conditions, case ids. */
  details: string;
  proposal_id: number | null;
  user_id: number | null;
  username: string | null;
}

export type ZoneProposalStatus = 'pending' | 'approved' | 'rejected' | 'superseded';

export interface ZoneProposalTable {
  id: Generated<number>;
  district_id: number;
  designation_id: number;
  place_id: number;
  from_level: ZoneLevel;
  from_phase: string;
  /** null: the designation ends (a held building rejoins its compound). */
  to_level: ZoneLevel | null;
  to_phase: string | null;
  restart_period: number;
  due_day: string;
  reason: string;
  details: string;
  status: ZoneProposalStatus;
  proposed_at: number;
  decided_at: number | null;
  decided_by: number | null;
  decided_by_name: string | null;
  decision_reason: string | null;
  rule_set: string;
}

/** Positives living in places, as reported by `case.created`: what dates "days without a positive". */
export interface ZonePositiveTable {
  district_id: number;
  case_id: string;
  person_id: number;
  building_id: number;
  compound_id: number | null;
  /** The place the rule set's seal unit makes of the residence. */
  unit_place_id: number;
  sampled_at: number;
  sampled_day: string;
  recorded_at: number;
}
