import type { ColumnType, Generated } from 'kysely';

/**
 * Table types for Kysely. Times are epoch milliseconds (integer / bigint); JSON is stored as
 * text in both databases; flags are 0/1 integers so one row shape fits SQLite and PostgreSQL.
 * Hot tables carry `district_id`: on PostgreSQL it leads their primary key so Citus can
 * distribute them by district (docs/adr/0003-distribution-by-district.md).
 */

type Json = string;

// ---------- registry ----------
export interface RegionTable {
  id: number;
  parent_id: number | null;
  level: 'city' | 'district' | 'street' | 'committee';
  code: string;
  name: string;
  name_en: string;
  district_id: number | null;
  street_id: number | null;
  population: number;
  area_km2: number | null;
  /** GeoJSON geometry (Polygon / MultiPolygon), null for committees. */
  geometry: Json | null;
  lng: number | null;
  lat: number | null;
}

export interface PlaceTable {
  id: number;
  district_id: number;
  street_id: number;
  committee_id: number | null;
  kind: string;
  name: string;
  /** A building's compound. */
  parent_place_id: number | null;
  floors: number | null;
  address: string;
  lng: number | null;
  lat: number | null;
}

export interface HouseholdTable {
  id: number;
  district_id: number;
  street_id: number;
  committee_id: number | null;
  place_id: number | null;
  floor: number | null;
  room: string | null;
}

export interface PersonTable {
  id: number;
  district_id: number;
  street_id: number;
  committee_id: number | null;
  household_id: number | null;
  /** Residence building (or other place). */
  place_id: number | null;
  /** Opaque reference carried in the person's code; never the national id. */
  ref: string;
  /**
   * Keyed hash (HMAC-SHA256) of the national id number, its 32 bytes (ADR 0009); the clear
   * number is never stored. Code handles it as hex (app/registry/id-hash.ts).
   */
  id_hash: Buffer | null;
  name: string | null;
  phone: string | null;
  birth_year: number | null;
  sex: 'F' | 'M' | null;
  floor: number | null;
  workplace_org_id: number | null;
  /** Key-industry occupation code (delivery, logistics, supermarket, construction, care_home…). */
  occupation: string | null;
  /** Comma-separated vulnerable-group flags: elderly_alone, dialysis, pregnancy, chronic, disability. */
  vulnerable: string;
  created_at: number;
  last_activity_at: number | null;
  purged_at: number | null;
}

export interface OrganisationTable {
  id: number;
  district_id: number;
  street_id: number | null;
  kind: 'workplace' | 'lab' | 'facility' | 'transport' | 'sampling' | 'care_home';
  name: string;
  place_id: number | null;
  /** Key-industry sector of a workplace, if any. */
  sector: string | null;
  /** Tubes a day for labs; vehicles for transport teams. */
  daily_capacity: number | null;
}

export interface SamplingSiteTable {
  id: number;
  district_id: number;
  street_id: number;
  organisation_id: number;
  kind: 'fixed' | 'mobile' | 'door_to_door';
  name: string;
  hourly_capacity: number;
  lng: number | null;
  lat: number | null;
}

export interface FacilityTable {
  id: number;
  district_id: number;
  street_id: number | null;
  organisation_id: number;
  kind: 'quarantine_hotel' | 'observation_point' | 'shelter_hospital' | 'designated_hospital';
  name: string;
  staff: number;
  /** JSON array of who may be admitted: case_mild, case_severe, close_contact, … */
  admits: Json;
  lng: number | null;
  lat: number | null;
}

export interface FacilityBedTable {
  facility_id: number;
  district_id: number;
  bed_kind: string;
  total: number;
}

// ---------- access ----------
export interface UserTable {
  id: Generated<number>;
  username: string;
  password_hash: string;
  role: string;
  display_name: string;
  scope_region_id: number | null;
  scope_organisation_id: number | null;
  scope_person_id: number | null;
  created_at: number;
  disabled_at: number | null;
}

export interface AuditLogTable {
  seq: number;
  at: number;
  user_id: number | null;
  username: string | null;
  role: string | null;
  action: string;
  subject_type: string;
  /** JSON array of subject ids. */
  subject_ids: Json;
  /** JSON array of personal fields read, changed or revealed. */
  fields: Json;
  reason: string | null;
  request_id: string | null;
  details: Json | null;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
  updated_at: number;
}

// ---------- shared kernel ----------
export interface EventTable {
  id: Generated<number>;
  /**
   * Delivery order. SQLite: given at insert, equal to the id. PostgreSQL: assigned by the
   * dispatcher after commit, null until then (store/outbox.ts).
   */
  seq: number | null;
  type: string;
  occurred_at: number;
  region_ids: Json;
  organisation_ids: Json;
  person_id: number | null;
  payload: Json;
}

export interface ConsumerOffsetTable {
  consumer: string;
  last_seq: number;
}

export interface ControlEpisodeTable {
  id: Generated<number>;
  district_id: number;
  person_id: number;
  kind:
    | 'quarantine'
    | 'isolation'
    | 'sealed_residence'
    | 'controlled_residence'
    | 'pool_hold'
    | 'home_monitoring';
  from_at: number;
  until_at: number | null;
  source_type: string;
  source_id: string;
  ended_reason: string | null;
  created_at: number;
}

export interface TestOrderTable {
  id: Generated<number>;
  district_id: number;
  person_id: number;
  reason: 'pool_retest' | 'quarantine_day' | 'resample' | 'screening_duty';
  due_at: number;
  source_type: string;
  source_id: string;
  status: 'open' | 'fulfilled' | 'cancelled';
  fulfilled_at: number | null;
  created_at: number;
}

export interface AlertTable {
  id: Generated<number>;
  rule: string;
  level: 'info' | 'warning' | 'critical';
  district_id: number | null;
  region_ids: Json;
  subject_type: string;
  subject_id: string;
  /** Rule + subject; at most one open alert per key. */
  open_key: string | null;
  details: Json;
  opened_at: number;
  owner_user_id: number | null;
  acknowledged_at: number | null;
  acknowledged_by: number | null;
  resolved_at: number | null;
  resolved_by: number | null;
  resolution: string | null;
}

export interface RuleSetTable {
  name: string;
  version: number;
  based_on: string | null;
  bundle: Json;
  created_at: number;
}

export interface SettingTable {
  key: string;
  value: string;
}

export interface Database {
  regions: RegionTable;
  places: PlaceTable;
  households: HouseholdTable;
  people: PersonTable;
  organisations: OrganisationTable;
  sampling_sites: SamplingSiteTable;
  facilities: FacilityTable;
  facility_beds: FacilityBedTable;
  users: UserTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  events: EventTable;
  consumer_offsets: ConsumerOffsetTable;
  control_episodes: ControlEpisodeTable;
  test_orders: TestOrderTable;
  alerts: AlertTable;
  rule_sets: RuleSetTable;
  settings: SettingTable;
  screening_rounds: import('./screening/tables.ts').ScreeningRoundTable;
  screening_round_scope: import('./screening/tables.ts').ScreeningRoundScopeTable;
  tubes: import('./screening/tables.ts').TubeTable;
  scans: import('./screening/tables.ts').ScanTable;
  transport_boxes: import('./screening/tables.ts').TransportBoxTable;
  box_custody: import('./screening/tables.ts').BoxCustodyTable;
  tracing_investigations: import('./tracing/tables.ts').TracingInvestigationTable;
  tracing_timeline: import('./tracing/tables.ts').TracingTimelineTable;
  tracing_contacts: import('./tracing/tables.ts').TracingContactTable;
  tracing_source_links: import('./tracing/tables.ts').TracingSourceLinkTable;
  tracing_clusters: import('./tracing/tables.ts').TracingClusterTable;
  tracing_checkins: import('./tracing/tables.ts').TracingCheckinTable;
  zone_designations: import('./zones/tables.ts').ZoneDesignationTable;
  zone_changes: import('./zones/tables.ts').ZoneChangeTable;
  zone_proposals: import('./zones/tables.ts').ZoneProposalTable;
  zone_positives: import('./zones/tables.ts').ZonePositiveTable;
  screening_duties: import('./status/tables.ts').ScreeningDutyTable;
  status_exemptions: import('./status/tables.ts').StatusExemptionTable;
  status_arrivals: import('./status/tables.ts').StatusArrivalTable;
  status_history: import('./status/tables.ts').StatusHistoryTable;
  bulletins: import('./command/tables.ts').BulletinTable;
  command_site_hours: import('./command/tables.ts').CommandSiteHourTable;
  command_watermarks: import('./command/tables.ts').CommandWatermarkTable;
}

export type Unused = ColumnType<never, never, never>;
