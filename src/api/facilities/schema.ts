import { z } from 'zod';
import { FACILITY_KINDS } from '../../domain/cases/facility.ts';
import { ADMISSION_GROUPS } from '../../domain/registry/vocabulary.ts';
import { id, instant, limit, reason } from '../cases/schema.ts';

/** Request and response schemas of facilities, beds, admissions and stays. People by id only. */
export const poolSchema = z.object({
  bedKind: z.string(),
  total: z.number().int(),
  reserved: z.number().int(),
  occupied: z.number().int(),
  free: z.number().int(),
});

export const facilitySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: z.string(),
  districtId: z.number().int(),
  streetId: z.number().int().nullable(),
  organisationId: z.number().int(),
  admits: z.array(z.string()),
  beds: z.array(poolSchema),
});
export const facilityListQuery = z.object({
  kind: z.enum(FACILITY_KINDS).optional(),
  districtId: id.optional(),
});
export const facilityListResponse = z.object({ items: z.array(facilitySchema) });

const beds = z
  .array(z.object({ bedKind: z.string().min(1).max(30), total: z.number().int().min(0).max(1_000_000) }))
  .max(20);
export const facilityBody = z.object({
  name: z.string().min(1).max(200),
  kind: z.enum(FACILITY_KINDS),
  districtId: z.number().int().positive(),
  streetId: z.number().int().positive().nullable().optional(),
  organisationId: z.number().int().positive().nullable().optional(),
  staff: z.number().int().min(0).default(0),
  admits: z.array(z.enum(ADMISSION_GROUPS)).min(1),
  lng: z.number().min(-180).max(180).nullable().optional(),
  lat: z.number().min(-90).max(90).nullable().optional(),
  beds,
});
export const bedsBody = z.object({ beds: beds.min(1) });

export const forecastQuery = z.object({ windowDays: z.coerce.number().int().min(1).max(60).default(7) });
export const forecastResponse = z.object({
  items: z.array(
    z.object({
      districtId: z.number().int(),
      facilityKind: z.string(),
      bedKind: z.string(),
      total: z.number().int(),
      occupied: z.number().int(),
      reserved: z.number().int(),
      free: z.number().int(),
      admissionsPerDay: z.number(),
      dischargesPerDay: z.number(),
      netPerDay: z.number(),
      daysToFull: z.number().int().nullable(),
    }),
  ),
});

export const admissionSchema = z.object({
  id: z.number().int(),
  personId: z.number().int(),
  caseId: z.number().int().nullable(),
  orderId: z.number().int(),
  kind: z.enum(['case', 'contact']),
  need: z.string(),
  facilityId: z.number().int(),
  bedKind: z.string(),
  bedNo: z.number().int(),
  admittedAt: z.number(),
  episodeId: z.number().int().nullable(),
  endedAt: z.number().nullable(),
  outcome: z.enum(['discharged', 'died']).nullable(),
  endReason: z.string().nullable(),
  overrideReason: z.string().nullable(),
});
export const admitBody = z.object({
  orders: z
    .array(z.object({ orderId: z.number().int().positive(), bedNo: z.number().int().positive().optional() }))
    .min(1)
    .max(1000),
});
export const admissionsResponse = z.object({ items: z.array(admissionSchema) });
export const admissionListQuery = z.object({
  live: z.enum(['true', 'false']).optional(),
  cursor: id.optional(),
  limit,
});
export const admissionListResponse = z.object({
  items: z.array(admissionSchema),
  nextCursor: z.number().int().nullable(),
});

export const stayTestSchema = z.object({
  id: z.number().int(),
  sampledAt: z.number(),
  result: z.enum(['negative', 'positive']),
  ct: z.number().nullable(),
});
export const stayTestBody = z.object({
  sampledAt: instant,
  result: z.enum(['negative', 'positive']),
  ct: z.number().positive().max(50).nullable().optional(),
});
const verdict = z.object({ eligible: z.boolean(), reason: z.string() });
export const admissionDetailResponse = z.object({
  admission: admissionSchema,
  tests: z.array(stayTestSchema),
  discharge: verdict.nullable(),
});
export const dischargeBody = z.object({ overrideReason: reason.nullable().optional() }).default({});
export const dischargeResponse = z.object({ admission: admissionSchema, criteria: verdict });
