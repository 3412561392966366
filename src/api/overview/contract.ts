import { z } from 'zod';
import { CONTROL_KINDS } from '../../domain/kernel/control-episodes.ts';

/**
 * The overview's JSON contract (GET /api/v1/overview), shared by the server and the web app
 * (which imports these types only). Every section is optional: a section is present when the
 * capability that owns its data has landed and registered a source for it
 * (src/api/overview/sections/index.ts), and the dashboard shows "not yet available" for the
 * others instead of inventing numbers. Planned sections are declared here already so that their
 * owners and the panels agree on one shape; an owner may refine a planned shape when it lands.
 */

const count = z.number().int().nonnegative();

/** A measure the map can colour children by; each section contributes the ones it knows. */
export const MEASURE_KEYS = [
  'population',
  'people',
  'underControl',
  'openTestOrders',
  'overdueTestOrders',
  'openAlerts',
  'newCases',
  'communityCases',
  'coverage',
  'zonesSealed',
  'bedsFree',
] as const;
export type MeasureKey = (typeof MEASURE_KEYS)[number];

export const regionRefSchema = z.object({
  id: z.number().int(),
  level: z.enum(['city', 'district', 'street', 'committee']),
  name: z.string(),
  nameEn: z.string(),
});
export type RegionRef = z.infer<typeof regionRefSchema>;

export const ALERT_LEVELS = ['info', 'warning', 'critical'] as const;

// ---------- sections that exist today (foundation tables) ----------

export const registrySectionSchema = z.object({
  /** Census population of the region (registry), and people registered in Cordon. */
  population: count,
  people: count,
});

export const alertSummarySchema = z.object({
  id: z.number().int(),
  rule: z.string(),
  level: z.enum(ALERT_LEVELS),
  /** The most specific region the alert names. */
  region: regionRefSchema.nullable(),
  subjectType: z.string(),
  subjectId: z.string(),
  openedAt: z.number(),
  acknowledgedAt: z.number().nullable(),
});
export type AlertSummary = z.infer<typeof alertSummarySchema>;

export const alertsSectionSchema = z.object({
  open: z.object({ info: count, warning: count, critical: count }),
  total: count,
  /** The most urgent open alerts (critical first, newest first), for the panel. */
  latest: z.array(alertSummarySchema),
});

export const controlSectionSchema = z.object({
  /** People under an active control episode, by kind (a person may hold several kinds). */
  active: z.record(z.enum(CONTROL_KINDS), count),
  total: count,
});

export const testOrdersSectionSchema = z.object({
  open: count,
  /** Open orders whose due time has passed. */
  overdue: count,
});

// ---------- planned sections (filled by screening, cases, zones, tracing as they land) ----------

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** 院内/管控内 vs 社会面: today's cases by where they were found, with the trend. */
export const casesSectionSchema = z.object({
  today: z.object({ insideControl: count, community: count }),
  trend: z.array(z.object({ day, insideControl: count, community: count })),
});

/**
 * 社会面清零 per child region, judged through the last complete day. The rule set names the unit
 * the official status is for (district by default); rows of other levels carry the same
 * thresholds applied to their own population and say they are not official.
 */
export const CLEARING_LEVELS = ['cleared', 'basically_cleared', 'not_cleared'] as const;
export const clearingSectionSchema = z.object({
  unit: z.enum(['city', 'district', 'street']),
  throughDay: day,
  children: z.array(
    z.object({
      regionId: z.number().int(),
      /** Whole days after the sampling day of the last community case, through yesterday; null: none on record. */
      daysSinceCommunityCase: count.nullable(),
      lastCommunityDay: day.nullable(),
      status: z.enum(CLEARING_LEVELS),
      /** The child is a unit of the rule set's 社会面清零 (its status is the official one). */
      official: z.boolean(),
    }),
  ),
});

/** The current round (the open one, else the latest that reached the area): 应检 and sampled. */
export const coverageSectionSchema = z.object({
  round: z
    .object({
      id: z.number().int(),
      name: z.string(),
      startedAt: z.number(),
      status: z.enum(['planned', 'open', 'ended']),
    })
    .nullable(),
  expected: count,
  sampled: count,
});

export const STAGES = ['sample', 'transport', 'test', 'report', 'transfer', 'admit'] as const;
/**
 * 采送检报转收: what waits at each stage now and how long the stage took. Tube stages (采送检报)
 * are timed over the current round's tubes sampled in the area; transfer stages (转收) over the
 * orders of people in the area found in the last 24 hours.
 */
export const stagesSectionSchema = z.object({
  stages: z.array(
    z.object({
      stage: z.enum(STAGES),
      backlog: count,
      /** Items timed through the stage. */
      done: count,
      p50Ms: z.number().nullable(),
      p90Ms: z.number().nullable(),
    }),
  ),
});

export const transfersSectionSchema = z.object({
  /** Orders not yet admitted nor cancelled, whenever they were found. */
  waiting: count,
  /** People confirmed today who need a transfer under the rule set's 日清日结. */
  confirmedToday: count,
  /** Of today's confirmed, admitted today (应转尽转、日清日结). */
  admittedSameDay: count,
  /** admittedSameDay / confirmedToday; null when nobody was confirmed today. */
  sameDayShare: z.number().nullable(),
  /** Minutes from confirmation to admission of today's (those still waiting count their wait so far). */
  waitP90Minutes: z.number().nullable(),
});

/** Beds of the facilities located in the area, by facility kind, with days until full at the recent rate. */
export const bedsSectionSchema = z.object({
  kinds: z.array(
    z.object({
      kind: z.string(),
      total: count,
      occupied: count,
      reserved: count,
      free: count,
      daysToFull: z.number().nullable(),
    }),
  ),
});

/** Places (buildings or compounds, as designated) by zone level. */
export const zonesSectionSchema = z.object({ sealed: count, controlled: count, precaution: count });

/** Contacts living in the area under a running quarantine episode, and contacts recorded in the last 24 h. */
export const contactsSectionSchema = z.object({
  inQuarantine: z.object({ close: count, secondary: count }),
  traced24h: count,
});

export const sectionSchemas = {
  registry: registrySectionSchema,
  alerts: alertsSectionSchema,
  control: controlSectionSchema,
  testOrders: testOrdersSectionSchema,
  cases: casesSectionSchema,
  clearing: clearingSectionSchema,
  coverage: coverageSectionSchema,
  stages: stagesSectionSchema,
  transfers: transfersSectionSchema,
  beds: bedsSectionSchema,
  zones: zonesSectionSchema,
  contacts: contactsSectionSchema,
} as const;

export type SectionKey = keyof typeof sectionSchemas;
export type SectionData<K extends SectionKey> = z.infer<(typeof sectionSchemas)[K]>;

export const overviewSectionsSchema = z.object({
  registry: registrySectionSchema.optional(),
  alerts: alertsSectionSchema.optional(),
  control: controlSectionSchema.optional(),
  testOrders: testOrdersSectionSchema.optional(),
  cases: casesSectionSchema.optional(),
  clearing: clearingSectionSchema.optional(),
  coverage: coverageSectionSchema.optional(),
  stages: stagesSectionSchema.optional(),
  transfers: transfersSectionSchema.optional(),
  beds: bedsSectionSchema.optional(),
  zones: zonesSectionSchema.optional(),
  contacts: contactsSectionSchema.optional(),
}) satisfies z.ZodType<{ [K in SectionKey]?: SectionData<K> }>;

export const overviewQuerySchema = z.object({
  /** Defaults to the caller's own scope region. */
  regionId: z.coerce.number().int().positive().optional(),
  access_token: z.string().optional(),
  lang: z.string().optional(),
});

export const overviewSchema = z.object({
  asOf: z.number(),
  /** The calendar day in the deployment's time zone that "today" means. */
  today: day,
  timeZone: z.string(),
  region: regionRefSchema,
  /** From the caller's scope root down to the region: the way back up when drilling. */
  path: z.array(regionRefSchema),
  /** Child regions with the per-child measures the available sections provide. */
  children: z.array(regionRefSchema.extend({ measures: z.partialRecord(z.enum(MEASURE_KEYS), z.number()) })),
  sections: overviewSectionsSchema,
  /**
   * Sections shown with their previous answer while a recount after a change is still running:
   * ask again shortly for the fresh figures.
   */
  refreshing: z.array(z.enum(Object.keys(sectionSchemas) as [SectionKey, ...SectionKey[]])),
});
export type Overview = z.infer<typeof overviewSchema>;
export type OverviewSections = z.infer<typeof overviewSectionsSchema>;
export type OverviewChild = Overview['children'][number];
