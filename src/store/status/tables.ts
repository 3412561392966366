import type { Generated } from 'kysely';

/** Row types of the compliance and status tables (migration 0030_zones_status). */

/** A screening duty (应检尽检) declared for an area or a key-industry occupation; its tests are test orders. */
export interface ScreeningDutyTable {
  id: Generated<number>;
  /** area | occupation */
  kind: string;
  region_id: number;
  occupation: string | null;
  /** JSON rhythm: {kind:'interval',hours} | {kind:'per_day',times,minHoursApart}. */
  rhythm: string;
  starts_at: number;
  ends_at: number | null;
  reason: string;
  created_by: number | null;
  created_at: number;
}

/** A correction: an authorised user waives a status reason for a person for a while, with a reason. */
export interface StatusExemptionTable {
  id: Generated<number>;
  district_id: number;
  person_id: number;
  /** The status reason waived (screening_overdue, arrived_from_risk_area, …). */
  reason_code: string;
  /** in_hospital | away | tested_elsewhere | record_error */
  kind: string;
  note: string;
  from_at: number;
  until_at: number;
  created_by: number | null;
  created_by_name: string | null;
  created_at: number;
  revoked_at: number | null;
}

/** An arrival from a place or area at a zone level (落地 / 返沪), recorded by staff. */
export interface StatusArrivalTable {
  id: Generated<number>;
  district_id: number;
  person_id: number;
  arrived_at: number;
  /** The zone level of the origin at the time: sealed | controlled (high | medium risk). */
  from_level: string;
  origin: string;
  recorded_by: number | null;
  created_at: number;
}

/** A person's status changes: one row each time the colour or the set of reasons changed. */
export interface StatusHistoryTable {
  id: Generated<number>;
  district_id: number;
  person_id: number;
  /** When the change happened (the cause's instant, not when it was noticed). */
  since_at: number;
  colour: string;
  /** Comma-separated reason codes, sorted. */
  reasons: string;
  recorded_at: number;
}
