import { z } from 'zod';
import { CONTROL_KINDS } from '../kernel/control-episodes.ts';
import { zonesSectionSchema } from './zones-schema.ts';

/**
 * One rule set = one versioned bundle with a section per domain (../SPEC "Rules with numbers"),
 * so that switching the set switches every rule consistently. Every number is data here; the
 * code that decides reads it from the active bundle. Objects are strict: an unknown key (a typo
 * in an operator's copy) is an error that names the field, never silently ignored.
 * Field-by-field sources: docs/RULES.md.
 */

const positiveInt = z.number().int().positive();
const dayNumber = z.number().int().min(1);
const label = z.strictObject({ zh: z.string().min(1), en: z.string().min(1) });
const controlKind = z.enum(CONTROL_KINDS);

// ---------- pooling (混管) ----------
const poolChoice = z.strictObject({
  /** Tubes' pooling ratio: k people in one tube. */
  size: positiveInt,
  /** One tube per household instead of per person (单管 / 一户一管). */
  perHousehold: z.boolean(),
});

export const poolingSectionSchema = z
  .strictObject({
    allowedSizes: z.array(positiveInt).min(1),
    /** Ratio by where a person is; `elsewhere` = outside any zone (no control). */
    byZone: z.strictObject({
      sealed: poolChoice,
      quarantine: poolChoice,
      controlled: poolChoice,
      precaution: poolChoice,
      elsewhere: poolChoice,
    }),
    /** Ratio for precaution / elsewhere in an area's first round (first-round pools are smaller). */
    firstRoundSize: positiveInt,
    /** A defined area must be fully sampled within this many hours of a round's start. */
    fullSamplingWithinHours: positiveInt,
    positivePool: z.strictObject({
      /** Every member is put under this control kind on the spot… */
      controlKind,
      /** …and must give a single-tube sample within this many hours (test order pool_retest). */
      retestWithinHours: positiveInt,
      retestPoolSize: z.literal(1),
    }),
  })
  .superRefine((pooling, ctx) => {
    const allowed = new Set(pooling.allowedSizes);
    for (const [zone, choice] of Object.entries(pooling.byZone)) {
      if (!allowed.has(choice.size)) {
        ctx.addIssue({
          code: 'custom',
          path: ['byZone', zone, 'size'],
          message: `size ${choice.size} is not in allowedSizes`,
        });
      }
    }
    if (!allowed.has(pooling.firstRoundSize)) {
      ctx.addIssue({
        code: 'custom',
        path: ['firstRoundSize'],
        message: `size ${pooling.firstRoundSize} is not in allowedSizes`,
      });
    }
  });

// ---------- contacts and quarantine (流调 / 密接 / 次密接) ----------
const phase = z
  .strictObject({
    days: positiveInt,
    setting: z.enum(['central', 'home']),
    /** Day numbers (day 1 = the day the phase starts) on which a test is due. */
    testDays: z.array(dayNumber),
  })
  .superRefine((p, ctx) => {
    p.testDays.forEach((d, i) => {
      if (d > p.days) {
        ctx.addIssue({
          code: 'custom',
          path: ['testDays', i],
          message: `test day ${d} is after the last day (${p.days})`,
        });
      }
      if (i > 0 && d <= p.testDays[i - 1]) {
        ctx.addIssue({ code: 'custom', path: ['testDays', i], message: 'test days must increase' });
      }
    });
  });

const contactRegime = z.strictObject({
  /** First phase: quarantine (集中隔离 or 居家隔离). */
  quarantine: phase,
  /** Then home health monitoring (居家健康监测), if any. */
  homeMonitoring: phase.nullable(),
});

export const contactsSectionSchema = z.strictObject({
  /** Protocol edition (防控方案第九版 / 第八版). */
  edition: z.enum(['8th', '9th']),
  /** Exposure counts from this many days before onset (or before the sample, if asymptomatic). */
  exposureWindowDays: positiveInt,
  close: contactRegime,
  secondary: contactRegime,
  /** Household members of a case are close contacts. */
  householdIsClose: z.boolean(),
  /** Under home lockdown, people this many floors above and below (and on the same floor) are secondary contacts; null = not used. */
  floorRadiusUnderLockdown: z.number().int().min(0).nullable(),
  /** Two venue check-ins within this many minutes of each other count as co-presence. */
  coPresenceWindowMinutes: positiveInt,
  /** Hours after a case is reported by which its investigation must be complete (absent = 24, issue 6). */
  investigationDeadlineHours: positiveInt.optional(),
});

// ---------- 社会面 classification and clearing ----------
const clearingThreshold = z.strictObject({
  /** Community positives per 100,000 residents per day must stay strictly below this… */
  maxPer100kPerDay: z.number().min(0).nullable(),
  /** …or, when set, at or below this absolute count per day (0 = none)… */
  maxPerDay: z.number().int().min(0).nullable(),
  /** …for this many consecutive calendar days. */
  consecutiveDays: positiveInt,
});

export const communitySectionSchema = z.strictObject({
  /** Control-episode kinds that count as inside closed-loop control at the moment of sampling. */
  insideControlKinds: z.array(controlKind).min(1),
  /** Region level at which clearing is judged. */
  unit: z.enum(['city', 'district', 'street']),
  basicallyCleared: clearingThreshold,
  cleared: clearingThreshold,
});

// ---------- status colours (健康码 / 核酸状态) ----------
export const STATUS_REASONS = [
  'confirmed_case',
  'close_contact_in_quarantine',
  'pool_positive_awaiting_retest',
  'lives_in_sealed_place',
  'secondary_contact',
  'screening_overdue',
  'lives_in_controlled_place',
  'arrived_from_risk_area',
] as const;
export type StatusReasonCode = (typeof STATUS_REASONS)[number];

const statusReason = z.strictObject({
  code: z.enum(STATUS_REASONS),
  colour: z.enum(['red', 'yellow']),
  /** False switches the reason off in this set (an operator's copy may). */
  enabled: z.boolean(),
  label,
});

export const statusSectionSchema = z
  .strictObject({
    reasons: z.array(statusReason),
    /** Arrivals from these zone levels within `arrivalWindowDays` are yellow. */
    arrivalFromLevels: z.array(z.enum(['sealed', 'controlled'])),
    arrivalWindowDays: positiveInt,
    /** Colours from worst to best; the worst applicable one wins, every reason is listed. */
    precedence: z.tuple([z.literal('red'), z.literal('yellow'), z.literal('green')]),
  })
  .superRefine((s, ctx) => {
    const seen = new Set<string>();
    s.reasons.forEach((r, i) => {
      if (seen.has(r.code)) {
        ctx.addIssue({
          code: 'custom',
          path: ['reasons', i, 'code'],
          message: `reason ${r.code} is listed twice`,
        });
      }
      seen.add(r.code);
    });
    for (const code of STATUS_REASONS) {
      if (!seen.has(code)) {
        ctx.addIssue({
          code: 'custom',
          path: ['reasons'],
          message: `reason ${code} is missing (set enabled: false to switch it off)`,
        });
      }
    }
  });

// ---------- compliance rhythms (应检尽检) ----------
const rhythm = z.discriminatedUnion('kind', [
  /** At least one sample every `hours` hours. */
  z.strictObject({ kind: z.literal('interval'), hours: positiveInt }),
  /** `times` samples each calendar day, at least `minHoursApart` apart (一日两检). */
  z.strictObject({ kind: z.literal('per_day'), times: positiveInt, minHoursApart: z.number().min(0) }),
]);
export type ComplianceRhythm = z.infer<typeof rhythm>;

export const complianceSectionSchema = z.strictObject({
  /** The screening duty of everyone in an area unless an occupation says otherwise. */
  defaultAreaDuty: rhythm,
  /** Key-industry occupation code → rhythm (the registry's person.occupation). */
  occupations: z.record(z.string().min(1), rhythm),
  /** Hours after a duty falls due before the person counts as 应检未检. */
  graceHours: z.number().min(0),
});

// ---------- discharge ----------
export const dischargeSectionSchema = z.strictObject({
  shelterHospital: z.strictObject({
    consecutiveNegatives: positiveInt,
    /** A negative counts only with Ct at or above this value (both N and ORF1ab). */
    minCt: z.number().positive(),
    minHoursApart: z.number().min(0),
  }),
});

// ---------- 日清日结 ----------
export const sameDaySectionSchema = z.strictObject({
  /** Who must be transferred or put under control the same day. */
  appliesTo: z.array(z.enum(['positive', 'close_contact', 'secondary_contact'])),
  /** Deadline: the end (24:00 local) of the calendar day of this instant. */
  dayOf: z.enum(['result', 'sampling']),
});

// ---------- the bundle ----------
export const RULE_SET_NAME = /^[a-z0-9][a-z0-9._-]{1,62}$/;

export const ruleBundleSchema = z.strictObject({
  name: z
    .string()
    .regex(RULE_SET_NAME, 'lower-case letters, digits, dot, dash or underscore; 2–63 characters'),
  version: positiveInt,
  /** name@version of the set this one was copied from, if any. */
  basedOn: z.string().nullable(),
  title: label,
  description: z.string(),
  pooling: poolingSectionSchema,
  zones: zonesSectionSchema,
  contacts: contactsSectionSchema,
  community: communitySectionSchema,
  status: statusSectionSchema,
  compliance: complianceSectionSchema,
  discharge: dischargeSectionSchema,
  sameDay: sameDaySectionSchema,
});

export type RuleBundle = z.infer<typeof ruleBundleSchema>;
export type PoolingSection = z.infer<typeof poolingSectionSchema>;
export type ContactsSection = z.infer<typeof contactsSectionSchema>;
export type ContactRegime = z.infer<typeof contactRegime>;
export type CommunitySection = z.infer<typeof communitySectionSchema>;
export type StatusSection = z.infer<typeof statusSectionSchema>;
export type ComplianceSection = z.infer<typeof complianceSectionSchema>;
export type DischargeSection = z.infer<typeof dischargeSectionSchema>;
export type SameDaySection = z.infer<typeof sameDaySectionSchema>;
export type RuleSectionName = Exclude<
  keyof RuleBundle,
  'name' | 'version' | 'basedOn' | 'title' | 'description'
>;
export const RULE_SECTIONS: readonly RuleSectionName[] = [
  'pooling',
  'zones',
  'contacts',
  'community',
  'status',
  'compliance',
  'discharge',
  'sameDay',
];
