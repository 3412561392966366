import type { Generated } from 'kysely';
import type {
  ContactDegree,
  ContactStatus,
  ExposureKind,
  InvestigationStatus,
  SourceBasis,
  SourceCertainty,
  SourceStatus,
} from '../../domain/tracing/types.ts';

/** Row types of migration 0040_tracing, registered in store/schema.ts `Database`. Times are epoch ms. */

export interface TracingInvestigationTable {
  id: Generated<number>;
  district_id: number;
  street_id: number;
  case_id: number;
  person_id: number;
  household_id: number | null;
  place_id: number | null;
  status: InvestigationStatus;
  tracer_user_id: number | null;
  onset_at: number | null;
  sampled_at: number;
  reported_at: number;
  exposure_from_at: number;
  deadline_at: number;
  completed_at: number | null;
  overdue_at: number | null;
  classification: string | null;
  source_status: SourceStatus;
  cluster_id: number;
  summary: string | null;
  created_at: number;
  updated_at: number;
}

export interface TracingTimelineTable {
  id: Generated<number>;
  district_id: number;
  investigation_id: number;
  case_id: number;
  place_id: number | null;
  place_district_id: number | null;
  description: string;
  from_at: number;
  until_at: number;
  created_by: number | null;
  created_at: number;
}

export type ContactOrigin = 'rule' | 'match' | 'tracer';

export interface TracingContactTable {
  id: Generated<number>;
  district_id: number;
  street_id: number;
  person_id: number;
  case_id: number;
  case_district_id: number;
  degree: ContactDegree;
  status: ContactStatus;
  exposure_kind: ExposureKind;
  exposure_place_id: number | null;
  exposure_at: number | null;
  exposure_note: string | null;
  via_contact_id: number | null;
  proposed_by: ContactOrigin;
  created_at: number;
  decided_at: number | null;
  decided_by: number | null;
  decision_reason: string | null;
  plan_edition: string | null;
  plan_until_at: number | null;
  became_case_id: number | null;
}

export interface TracingSourceLinkTable {
  id: Generated<number>;
  district_id: number;
  case_id: number;
  source_case_id: number;
  source_district_id: number;
  certainty: SourceCertainty;
  basis: SourceBasis;
  contact_id: number | null;
  cluster_id: number;
  note: string | null;
  created_by: number | null;
  created_at: number;
}

export interface TracingClusterTable {
  id: number;
  size: number;
  district_id: number;
  first_reported_at: number;
  last_reported_at: number;
  updated_at: number;
}

export interface TracingCheckinTable {
  venue_id: number;
  at: number;
  person_id: number;
  /** The venue's district (the shard). */
  district_id: number;
  person_district_id: number;
}
