import { z } from 'zod';
import { CASE_STATES, SEVERITIES } from '../../domain/cases/case.ts';

/**
 * Request and response schemas of the case routes; types are inferred from them. Instants are
 * epoch ms, days 'YYYY-MM-DD' in the deployment's zone. People appear by id only: names go
 * through the people API (masked, reveals audited).
 */
export const id = z.coerce.number().int().positive();
export const instant = z.number().int().min(0);
/** A real calendar day: the pattern, and a date that exists (no 2022-13-01, no 2022-02-30). */
export const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a calendar day YYYY-MM-DD')
  .refine((d) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
  }, 'no such calendar day');
export const limit = z.coerce.number().int().min(1).max(1000).default(100);
export const idParams = z.object({ id });
export const reason = z.string().max(2000);

export const transitionSchema = z.object({
  from: z.string().nullable(),
  to: z.string(),
  at: z.number(),
  actor: z.string(),
  actorUserId: z.number().int().nullable(),
  reason: z.string().nullable(),
});

export const caseSchema = z.object({
  id: z.number().int(),
  personId: z.number().int(),
  districtId: z.number().int(),
  streetId: z.number().int(),
  committeeId: z.number().int().nullable(),
  placeId: z.number().int().nullable(),
  householdId: z.number().int().nullable(),
  source: z.string(),
  sourceRef: z.string(),
  roundId: z.string().nullable(),
  ct: z.number().nullable(),
  sampledAt: z.number(),
  reportedAt: z.number(),
  sampledDay: z.string(),
  reportedDay: z.string(),
  classification: z.enum(['inside_control', 'community']),
  controlKinds: z.array(z.string()),
  ruleSet: z.string(),
  severity: z.string(),
  highRisk: z.boolean(),
  riskFactors: z.array(z.string()),
  state: z.string(),
  stateAt: z.number(),
  facilityId: z.number().int().nullable(),
});

export const caseListQuery = z.object({
  state: z.enum(CASE_STATES).optional(),
  classification: z.enum(['inside_control', 'community']).optional(),
  sampledDay: day.optional(),
  reportedDay: day.optional(),
  personId: id.optional(),
  cursor: id.optional(),
  limit,
});
export const caseListResponse = z.object({
  items: z.array(caseSchema),
  nextCursor: z.number().int().nullable(),
});

export const caseReportBody = z.object({
  personId: z.number().int().positive(),
  /** The clinic's or hospital's report number: with the person, the report's identity. */
  sourceRef: z.string().min(1).max(200),
  sampledAt: instant,
  reportedAt: instant,
  onsetAt: instant.nullable().optional(),
  ct: z.number().positive().max(50).nullable().optional(),
  severity: z.enum(SEVERITIES).optional(),
});
export const caseReportResponse = z.object({
  case: caseSchema,
  created: z.boolean(),
  orderId: z.number().int().nullable(),
});

export const severityBody = z.object({ severity: z.enum(SEVERITIES), reason });
export const deathBody = z.object({ reason });

export const orderSummarySchema = z.object({
  id: z.number().int(),
  status: z.string(),
  need: z.string(),
  facilityId: z.number().int().nullable(),
  foundAt: z.number(),
});
export const caseDetailResponse = z.object({
  case: caseSchema,
  transitions: z.array(transitionSchema),
  orders: z.array(orderSummarySchema),
});

export const clearingQuery = z.object({
  /** Last whole day judged; default yesterday. */
  throughDay: day.optional(),
  lookbackDays: z.coerce.number().int().min(3).max(120).default(28),
});
const clearingDay = z.object({
  day: z.string(),
  community: z.number().int(),
  per100k: z.number().nullable(),
  meetsBasicallyCleared: z.boolean(),
  meetsCleared: z.boolean(),
});
export const clearingResponse = z.object({
  unit: z.enum(['city', 'district', 'street']),
  throughDay: z.string(),
  ruleSet: z.string(),
  units: z.array(
    z.object({
      regionId: z.number().int(),
      name: z.string(),
      population: z.number().int(),
      level: z.enum(['cleared', 'basically_cleared', 'not_cleared']),
      basicallyClearedDays: z.number().int(),
      clearedDays: z.number().int(),
      daysToBasicallyCleared: z.number().int(),
      daysToCleared: z.number().int(),
      basicallyClearedMaxPerDay: z.number(),
      lastCommunityDay: z.string().nullable(),
      streakReachesWindowStart: z.boolean(),
      todaySoFar: z.number().int(),
      days: z.array(clearingDay),
    }),
  ),
});

export const sameDayQuery = z.object({ day: day.optional() });
const figures = z.object({
  found: z.number().int(),
  cases: z.number().int(),
  contacts: z.number().int(),
  transferred: z.number().int(),
  admitted: z.number().int(),
  admittedSameDay: z.number().int(),
  waiting: z.number().int(),
  cancelled: z.number().int(),
  sameDayShare: z.number().nullable(),
  waitP50Minutes: z.number().nullable(),
  waitP90Minutes: z.number().nullable(),
});
export const sameDayResponse = z.object({
  day: z.string(),
  dayOver: z.boolean(),
  total: figures,
  districts: z.array(figures.extend({ districtId: z.number().int(), name: z.string() })),
  classification: z.array(
    z.object({ districtId: z.number().int(), insideControl: z.number().int(), community: z.number().int() }),
  ),
});
