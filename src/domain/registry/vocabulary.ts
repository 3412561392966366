/**
 * The registry's closed vocabularies, declared once: CSV import validates against them, the
 * synthetic city only emits them, and other capabilities (status, needs, cases) read them.
 */

/** Places: 小区 compound, 楼栋 building, 工地 worksite, 企业 enterprise, 养老院, 市场, 学校, 场所, 隔离/救治设施. */
export const PLACE_KINDS = [
  'compound',
  'building',
  'worksite',
  'enterprise',
  'care_home',
  'market',
  'school',
  'venue',
  'facility',
] as const;
export type PlaceKind = (typeof PLACE_KINDS)[number];

/** Places people live in (a household's place). */
export const RESIDENTIAL_PLACE_KINDS: readonly PlaceKind[] = ['building', 'compound', 'care_home'];

/** Key industries (重点行业) with their own test rhythm; a person's `occupation`, a workplace's `sector`. */
export const KEY_INDUSTRIES = [
  'delivery',
  'logistics',
  'supermarket',
  'construction',
  'care_home',
  'market',
  'medical',
] as const;
export type KeyIndustry = (typeof KEY_INDUSTRIES)[number];

/** Vulnerable groups (重点人群): 独居老人, 透析, 孕产妇, 慢性病, 残疾. */
export const VULNERABLE_FLAGS = ['elderly_alone', 'dialysis', 'pregnancy', 'chronic', 'disability'] as const;
export type VulnerableFlag = (typeof VULNERABLE_FLAGS)[number];

export const SAMPLING_SITE_KINDS = ['fixed', 'mobile', 'door_to_door'] as const;
export type SamplingSiteKind = (typeof SAMPLING_SITE_KINDS)[number];

/** 隔离酒店, 健康驿站, 方舱医院, 定点医院. */
export const FACILITY_KINDS = [
  'quarantine_hotel',
  'observation_point',
  'shelter_hospital',
  'designated_hospital',
] as const;
export type FacilityKind = (typeof FACILITY_KINDS)[number];

/** Who a facility admits (facilities.admits). */
export const ADMISSION_GROUPS = [
  'close_contact',
  'secondary_contact',
  'inbound_traveller',
  'case_asymptomatic',
  'case_mild',
  'case_severe',
  'case_critical',
] as const;
export type AdmissionGroup = (typeof ADMISSION_GROUPS)[number];

export const FACILITY_ADMITS: Record<FacilityKind, readonly AdmissionGroup[]> = {
  quarantine_hotel: ['close_contact', 'secondary_contact', 'inbound_traveller'],
  observation_point: ['close_contact', 'secondary_contact'],
  shelter_hospital: ['case_asymptomatic', 'case_mild'],
  designated_hospital: ['case_mild', 'case_severe', 'case_critical'],
};

/** Bed kinds (facility_beds.bed_kind): a quarantine room or shelter bed is `standard`. */
export const BED_KINDS = ['standard', 'ward', 'icu'] as const;
export type BedKind = (typeof BED_KINDS)[number];

/** Transport teams (organisations kind 'transport') by what they carry: 送 samples, 转 people. */
export const TRANSPORT_SECTORS = ['samples', 'transfer'] as const;

/** Parses the stored comma-separated vulnerable flags. */
export function parseVulnerable(text: string | null | undefined): VulnerableFlag[] {
  if (!text) return [];
  return text
    .split(',')
    .filter((f): f is VulnerableFlag => (VULNERABLE_FLAGS as readonly string[]).includes(f));
}
