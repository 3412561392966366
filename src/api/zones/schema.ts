import { z } from 'zod';
import { ZONE_LEVELS } from '../../domain/rules/zones-schema.ts';

/** Request and response schemas of the zones API. */
const id = z.coerce.number().int().positive();
const level = z.enum(ZONE_LEVELS);
const levelAndPhase = z.object({ level, phase: z.string() });

export const DesignationParams = z.object({ designationId: id });
export const ProposalParams = z.object({ proposalId: id });

export const DesignationListQuery = z.object({
  level: level.optional(),
  includeReleased: z.coerce.boolean().default(false).describe('also places back at precaution'),
  cursor: id.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const DesignationView = z.object({
  id: z.number(),
  placeId: z.number(),
  placeKind: z.string(),
  districtId: z.number(),
  streetId: z.number(),
  committeeId: z.number().nullable(),
  level,
  phase: z.string(),
  /** Day 1 of the current period ('YYYY-MM-DD', deployment time zone). */
  periodStartDay: z.string(),
  /** Epoch ms it entered its level and phase. */
  since: z.number(),
  lastPositiveDay: z.string().nullable(),
  causeCaseIds: z.array(z.string()),
  hold: z.object({ compoundDesignationId: z.number(), untilDay: z.string() }).nullable(),
  ruleSet: z.string(),
});

export const DesignationPage = z.object({
  items: z.array(DesignationView),
  nextCursor: z.number().nullable(),
});

export const ChangeView = z.object({
  at: z.number(),
  day: z.string(),
  change: z.string(),
  from: levelAndPhase.nullable(),
  to: levelAndPhase,
  periodStartDay: z.string(),
  reason: z.string(),
  details: z.record(z.string(), z.unknown()),
  proposalId: z.number().nullable(),
  by: z.string().nullable(),
});

export const DesignationHistory = z.object({ designation: DesignationView, changes: z.array(ChangeView) });

export const ProposalQuery = z.object({
  status: z.enum(['pending', 'approved', 'rejected', 'superseded']).default('pending'),
});

export const ProposalView = z.object({
  id: z.number(),
  designationId: z.number(),
  placeId: z.number(),
  from: levelAndPhase,
  /** null: a held building rejoins its compound's zone. */
  to: levelAndPhase.nullable(),
  dueDay: z.string(),
  reason: z.string(),
  status: z.string(),
  proposedAt: z.number(),
  decidedAt: z.number().nullable(),
  decidedBy: z.string().nullable(),
  decisionReason: z.string().nullable(),
  ruleSet: z.string(),
});

export const DecisionBody = z.object({
  decision: z.enum(['approve', 'reject']),
  reason: z.string().trim().min(4).max(500).describe('why (recorded in the history)'),
});

export const DesignateBody = z.object({
  placeId: id,
  level,
  phase: z.string().optional(),
  reason: z.string().trim().min(4).max(500),
  caseId: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .optional()
    .describe('a case that stayed there (risk areas: medium)'),
});

/**
 * The batch form (a district's compounds at once): up to 5,000 items of the single route's shape
 * without `caseId` (a case stay is one place, decided by the rule set: use the single route).
 */
export const BatchDesignateBody = z.object({
  items: z
    .array(DesignateBody.omit({ caseId: true }))
    .min(1)
    .max(5000),
});

export const BatchDesignateResult = z.object({
  items: z.array(z.object({ placeId: z.number(), designationId: z.number(), changed: z.boolean() })),
  changed: z.number(),
  unchanged: z.number(),
});

export const RunReport = z.object({
  day: z.string(),
  evaluated: z.number(),
  proposed: z.number(),
  kept: z.number(),
  applied: z.number(),
  blocked: z.number(),
});

export const CountsView = z.object({
  regionId: z.number(),
  rows: z.array(
    z.object({ regionId: z.number().nullable(), level, places: z.number(), residents: z.number() }),
  ),
});
