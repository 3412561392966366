import type {
  CommunitySection,
  ComplianceSection,
  ContactsSection,
  DischargeSection,
  PoolingSection,
  SameDaySection,
  StatusSection,
} from '../schema.ts';

/**
 * Sections the shipped sets share. Each number carries its SPEC source in docs/RULES.md; where
 * SPEC gives no number the value is marked "Cordon default" there.
 */

/** ../SPEC "Pooling": single tube in sealed zones and quarantine sites, 10 controlled, 20 elsewhere (10 in a first round). */
export const POOLING_SHANGHAI: PoolingSection = {
  allowedSizes: [1, 5, 10, 20],
  byZone: {
    sealed: { size: 1, perHousehold: true },
    quarantine: { size: 1, perHousehold: false },
    controlled: { size: 10, perHousehold: false },
    precaution: { size: 20, perHousehold: false },
    elsewhere: { size: 20, perHousehold: false },
  },
  firstRoundSize: 10,
  fullSamplingWithinHours: 24,
  positivePool: { controlKind: 'pool_hold', retestWithinHours: 24, retestPoolSize: 1 },
};

/** National protocol, 9th edition (June 2022): 7 + 3 for close contacts, 7 at home for secondary. */
export const CONTACTS_9TH: ContactsSection = {
  edition: '9th',
  exposureWindowDays: 4,
  close: {
    quarantine: { days: 7, setting: 'central', testDays: [1, 2, 3, 5, 7] },
    homeMonitoring: { days: 3, setting: 'home', testDays: [3] },
  },
  secondary: {
    quarantine: { days: 7, setting: 'home', testDays: [1, 4, 7] },
    homeMonitoring: null,
  },
  householdIsClose: true,
  floorRadiusUnderLockdown: 1,
  coPresenceWindowMinutes: 30,
};

/**
 * National protocol, 8th edition (2021): 14 + 7 for close contacts, tests on days 1, 4, 7, 14.
 * Not used by a shipped set; an operator's copy switches to it with `cordon rules copy … --contacts 8th`.
 */
export const CONTACTS_8TH: ContactsSection = {
  edition: '8th',
  exposureWindowDays: 4,
  close: {
    quarantine: { days: 14, setting: 'central', testDays: [1, 4, 7, 14] },
    // 8th edition text: home health monitoring tests on days 2 and 7 (not numbered in SPEC).
    homeMonitoring: { days: 7, setting: 'home', testDays: [2, 7] },
  },
  secondary: {
    // 8th edition text: 7 days centralised, tests on days 1, 4, 7 (not numbered in SPEC).
    quarantine: { days: 7, setting: 'central', testDays: [1, 4, 7] },
    homeMonitoring: null,
  },
  householdIsClose: true,
  floorRadiusUnderLockdown: 1,
  coPresenceWindowMinutes: 30,
};

export const CONTACT_PROTOCOLS: Record<ContactsSection['edition'], ContactsSection> = {
  '8th': CONTACTS_8TH,
  '9th': CONTACTS_9TH,
};

const CLEARING = {
  basicallyCleared: { maxPer100kPerDay: 1, maxPerDay: null, consecutiveDays: 3 },
  cleared: { maxPer100kPerDay: null, maxPerDay: 0, consecutiveDays: 3 },
} satisfies Pick<CommunitySection, 'basicallyCleared' | 'cleared'>;

/**
 * 社会面, May 2022 definition (../SPEC "社会面清零"): positives in controlled and precaution zones
 * and among people not under control are community cases; controlled residence does not count
 * as inside control.
 */
export const COMMUNITY_MAY_2022: CommunitySection = {
  insideControlKinds: ['quarantine', 'isolation', 'sealed_residence', 'pool_hold'],
  unit: 'district',
  ...CLEARING,
};

/** April 2022: positives found in controlled zones were still reported as found inside control (在管控中发现). */
export const COMMUNITY_APRIL_2022: CommunitySection = {
  insideControlKinds: ['quarantine', 'isolation', 'sealed_residence', 'controlled_residence', 'pool_hold'],
  unit: 'district',
  ...CLEARING,
};

/** ../SPEC "Status colours (default; rule-set data)". */
export const STATUS_DEFAULT: StatusSection = {
  reasons: [
    {
      code: 'confirmed_case',
      colour: 'red',
      enabled: true,
      label: { zh: '确诊或无症状感染者，尚未出院', en: 'Confirmed case, not yet discharged' },
    },
    {
      code: 'close_contact_in_quarantine',
      colour: 'red',
      enabled: true,
      label: { zh: '密切接触者，隔离中', en: 'Close contact in quarantine' },
    },
    {
      code: 'pool_positive_awaiting_retest',
      colour: 'red',
      enabled: true,
      label: { zh: '混管阳性，待单管复核', en: 'Pool positive, awaiting single-tube retest' },
    },
    {
      code: 'lives_in_sealed_place',
      colour: 'red',
      enabled: true,
      label: { zh: '居住在封控区', en: 'Lives in a sealed place' },
    },
    {
      code: 'secondary_contact',
      colour: 'yellow',
      enabled: true,
      label: { zh: '密接的密接', en: 'Contact of a contact' },
    },
    {
      code: 'screening_overdue',
      colour: 'yellow',
      enabled: true,
      label: { zh: '应检未检', en: 'Overdue for a screening duty' },
    },
    {
      code: 'lives_in_controlled_place',
      colour: 'yellow',
      enabled: true,
      label: { zh: '居住在管控区', en: 'Lives in a controlled place' },
    },
    {
      code: 'arrived_from_risk_area',
      colour: 'yellow',
      enabled: true,
      label: { zh: '7天内有中高风险区旅居史', en: 'Arrived from a high- or medium-risk area within 7 days' },
    },
  ],
  arrivalFromLevels: ['sealed', 'controlled'],
  arrivalWindowDays: 7,
  precedence: ['red', 'yellow', 'green'],
};

/**
 * ../SPEC "Compliance and status": weekly area duty; key industries on their own rhythm, including
 * twice a day (一日两检). Which occupation gets which rhythm is a Cordon default (docs/RULES.md).
 */
export const COMPLIANCE_DEFAULT: ComplianceSection = {
  defaultAreaDuty: { kind: 'interval', hours: 7 * 24 },
  occupations: {
    delivery: { kind: 'interval', hours: 24 },
    supermarket: { kind: 'interval', hours: 24 },
    logistics: { kind: 'interval', hours: 48 },
    construction: { kind: 'interval', hours: 48 },
    care_home: { kind: 'per_day', times: 2, minHoursApart: 6 },
  },
  graceHours: 0,
};

/** ../SPEC "Discharge": two consecutive negatives, Ct ≥ 35, 24 h apart. */
export const DISCHARGE_DEFAULT: DischargeSection = {
  shelterHospital: { consecutiveNegatives: 2, minCt: 35, minHoursApart: 24 },
};

/** ../SPEC "日清日结" and "Time": before 24:00 of the result's day. */
export const SAME_DAY_DEFAULT: SameDaySection = {
  appliesTo: ['positive', 'close_contact', 'secondary_contact'],
  dayOf: 'result',
};
