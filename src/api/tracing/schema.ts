import { z } from 'zod';
import {
  CONTACT_DEGREES,
  CONTACT_STATUSES,
  EXPOSURE_KINDS,
  INVESTIGATION_STATUSES,
  SOURCE_CERTAINTIES,
  SOURCE_STATUSES,
} from '../../domain/tracing/types.ts';

/**
 * Request and response schemas of the tracing routes; types are inferred from them. Instants are
 * epoch ms. People appear by id only: names go through the people API (masked, reveal audited).
 */
const id = z.coerce.number().int().positive();
const instant = z.number().int().min(0);
const limit = z.coerce.number().int().min(1).max(1000).default(100);

export const idParams = z.object({ id });
export const caseParams = z.object({ caseId: id });

export const investigationSchema = z.object({
  id: z.number().int(),
  caseId: z.number().int(),
  personId: z.number().int(),
  districtId: z.number().int(),
  streetId: z.number().int(),
  status: z.enum(INVESTIGATION_STATUSES),
  tracerUserId: z.number().int().nullable(),
  onsetAt: z.number().nullable(),
  sampledAt: z.number(),
  reportedAt: z.number(),
  exposureFromAt: z.number(),
  deadlineAt: z.number(),
  overdue: z.boolean(),
  completedAt: z.number().nullable(),
  classification: z.string().nullable(),
  sourceStatus: z.enum(SOURCE_STATUSES),
  clusterId: z.number().int(),
  summary: z.string().nullable(),
});

export const timelineEntrySchema = z.object({
  id: z.number().int(),
  placeId: z.number().int().nullable(),
  placeDistrictId: z.number().int().nullable(),
  description: z.string(),
  fromAt: z.number(),
  untilAt: z.number(),
});

export const investigationDetailSchema = investigationSchema.extend({
  timeline: z.array(timelineEntrySchema),
  contacts: z.array(z.object({ degree: z.string(), status: z.string(), count: z.number().int() })),
});

export const investigationListQuery = z.object({
  status: z.enum(INVESTIGATION_STATUSES).optional(),
  sourceStatus: z.enum(SOURCE_STATUSES).optional(),
  /** Only open investigations past their deadline. */
  overdue: z.enum(['true', 'false']).optional(),
  cursor: id.optional(),
  limit,
});

export const investigationListResponse = z.object({
  items: z.array(investigationSchema),
  nextCursor: z.number().int().nullable(),
});

export const investigationPatchBody = z
  .object({
    tracerUserId: z.number().int().positive().nullable().optional(),
    onsetAt: instant.nullable().optional(),
    summary: z.string().max(10_000).nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'give at least one of tracerUserId, onsetAt, summary');

export const timelineBody = z.object({
  entries: z
    .array(
      z.object({
        placeId: z.number().int().positive().nullable().optional(),
        description: z.string().max(500).optional(),
        fromAt: instant,
        untilAt: instant,
      }),
    )
    .min(1)
    .max(500),
});

export const completeBody = z.object({ summary: z.string().max(10_000).nullable().optional() }).nullish();

export const contactSchema = z.object({
  id: z.number().int(),
  personId: z.number().int(),
  districtId: z.number().int(),
  streetId: z.number().int(),
  caseId: z.number().int(),
  caseDistrictId: z.number().int(),
  degree: z.enum(CONTACT_DEGREES),
  status: z.enum(CONTACT_STATUSES),
  exposure: z.object({
    kind: z.enum(EXPOSURE_KINDS),
    placeId: z.number().int().nullable(),
    at: z.number().nullable(),
    note: z.string().nullable(),
  }),
  viaContactId: z.number().int().nullable(),
  proposedBy: z.string(),
  createdAt: z.number(),
  decidedAt: z.number().nullable(),
  /** Why a tracer ruled the contact out. */
  decisionReason: z.string().nullable(),
  plan: z.object({ edition: z.string(), untilAt: z.number().nullable() }).nullable(),
  becameCaseId: z.number().int().nullable(),
  /** Lives in another district than the case: pushed there. */
  crossDistrict: z.boolean(),
});

export const contactListQuery = z.object({
  caseId: id.optional(),
  status: z.enum(CONTACT_STATUSES).optional(),
  degree: z.enum(CONTACT_DEGREES).optional(),
  districtId: id.optional(),
  cursor: id.optional(),
  limit,
});
export const contactListResponse = z.object({
  items: z.array(contactSchema),
  nextCursor: z.number().int().nullable(),
});

export const addContactsBody = z.object({
  contacts: z
    .array(
      z.object({
        personId: z.number().int().positive(),
        degree: z.enum(CONTACT_DEGREES),
        exposure: z.object({
          kind: z.enum(EXPOSURE_KINDS),
          placeId: z.number().int().positive().nullable().optional(),
          at: instant.nullable().optional(),
          note: z.string().max(1000).nullable().optional(),
        }),
        viaContactId: z.number().int().positive().nullable().optional(),
      }),
    )
    .min(1)
    .max(1000),
});
export const contactsResponse = z.object({ items: z.array(contactSchema) });

export const confirmBody = z.object({ degree: z.enum(CONTACT_DEGREES).optional() }).nullish();
export const dismissBody = z.object({
  reason: z.string().trim().min(4, 'say why the contact is ruled out (at least 4 characters)').max(1000),
});

export const checkinBatchBody = z.union([
  z.object({
    checkins: z
      .array(
        z.object({
          venueId: z.number().int().positive(),
          personId: z.number().int().positive(),
          at: instant,
        }),
      )
      .min(1),
  }),
  z.string().min(1),
]);
export const ingestResponse = z.object({ received: z.number().int(), inserted: z.number().int() });

export const matchBody = z.union([
  z.object({ day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a calendar day YYYY-MM-DD') }),
  z.object({ from: instant, until: instant }),
]);
export const matchResponse = z.object({
  cases: z.number().int(),
  windows: z.number().int(),
  proposed: z.number().int(),
  pushed: z.number().int(),
});

export const chainQuery = z.object({ maxNodes: z.coerce.number().int().min(1).max(20_000).default(5000) });
export const chainResponse = z.object({
  caseId: z.number().int(),
  clusterId: z.number().int(),
  roots: z.array(z.number().int()),
  truncated: z.boolean(),
  nodes: z.array(
    z.object({
      caseId: z.number().int(),
      generation: z.number().int(),
      isRoot: z.boolean(),
      districtId: z.number().int().nullable(),
      streetId: z.number().int().nullable(),
      reportedAt: z.number().nullable(),
      classification: z.string().nullable(),
      sourceStatus: z.string().nullable(),
      /** No known source: the case to chase (来源不明). */
      unknownSource: z.boolean(),
    }),
  ),
  edges: z.array(
    z.object({ from: z.number().int(), to: z.number().int(), certainty: z.enum(SOURCE_CERTAINTIES) }),
  ),
});

export const clusterQuery = z.object({ minSize: z.coerce.number().int().min(2).default(2), limit });
export const clusterResponse = z.object({
  items: z.array(
    z.object({
      id: z.number().int(),
      size: z.number().int(),
      districtId: z.number().int(),
      firstReportedAt: z.number(),
      lastReportedAt: z.number(),
    }),
  ),
});

export const sourceLinkBody = z.object({
  caseId: z.number().int().positive(),
  sourceCaseId: z.number().int().positive(),
  certainty: z.enum(SOURCE_CERTAINTIES),
  note: z.string().max(2000).nullable().optional(),
});
export const sourceLinkResponse = z.object({
  id: z.number().int(),
  caseId: z.number().int(),
  sourceCaseId: z.number().int(),
  certainty: z.enum(SOURCE_CERTAINTIES),
  basis: z.string(),
  clusterId: z.number().int(),
  createdAt: z.number(),
});
