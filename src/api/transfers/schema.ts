import { z } from 'zod';
import { TRANSFER_NEEDS } from '../../domain/cases/risk.ts';
import { TRANSFER_STATUSES } from '../../domain/cases/transfer-order.ts';
import { id, limit, reason, transitionSchema } from '../cases/schema.ts';

/** Request and response schemas of the transfer routes (转运). People by id only. */
export const orderSchema = z.object({
  id: z.number().int(),
  personId: z.number().int(),
  caseId: z.number().int().nullable(),
  districtId: z.number().int(),
  streetId: z.number().int(),
  kind: z.enum(['case', 'contact']),
  need: z.string(),
  needReason: z.string(),
  source: z.object({ type: z.string(), id: z.string() }),
  status: z.string(),
  foundAt: z.number(),
  facilityId: z.number().int().nullable(),
  facilityDistrictId: z.number().int().nullable(),
  bedKind: z.string().nullable(),
  bedNo: z.number().int().nullable(),
  proposedFacilityId: z.number().int().nullable(),
  overrideReason: z.string().nullable(),
  unplacedAt: z.number().nullable(),
  transportOrgId: z.number().int().nullable(),
  vehicle: z.string().nullable(),
  allocatedAt: z.number().nullable(),
  dispatchedAt: z.number().nullable(),
  pickedUpAt: z.number().nullable(),
  arrivedAt: z.number().nullable(),
  admittedAt: z.number().nullable(),
  cancelledAt: z.number().nullable(),
  cancelReason: z.string().nullable(),
});

export const orderListQuery = z.object({
  status: z.enum(TRANSFER_STATUSES).optional(),
  need: z.enum(TRANSFER_NEEDS).optional(),
  /** Only orders the allocator could not place (no free bed). */
  unplaced: z.enum(['true', 'false']).optional(),
  /** `oldest` for a work queue, `newest` (default) for a history. */
  order: z.enum(['oldest', 'newest']).default('newest'),
  cursor: id.optional(),
  limit,
});
export const orderListResponse = z.object({
  items: z.array(orderSchema),
  nextCursor: z.number().int().nullable(),
});

export const proposalSchema = z.object({
  facilityId: z.number().int(),
  bedKind: z.string(),
  districtId: z.number().int(),
  facilityKind: z.string(),
  free: z.number().int(),
  sameDistrict: z.boolean(),
  distanceKm: z.number().nullable(),
  kindTier: z.number().int(),
});
export const orderDetailResponse = z.object({
  order: orderSchema,
  transitions: z.array(transitionSchema),
  proposals: z.array(proposalSchema),
});

export const allocateBody = z
  .object({
    facilityId: z.number().int().positive().optional(),
    bedKind: z.string().min(1).max(40).optional(),
    overrideReason: reason.nullable().optional(),
  })
  .default({});

export const allocateManyBody = z
  .object({
    orderIds: z.array(z.number().int().positive()).min(1).max(5000).optional(),
    /** Without orderIds: the oldest waiting orders in your area, at most this many. */
    limit: z.number().int().min(1).max(5000).optional(),
  })
  .default({});
export const allocateManyResponse = z.object({
  allocated: z.array(orderSchema),
  unplaced: z.array(orderSchema),
});

const orderIds = z.array(z.number().int().positive()).min(1).max(1000);
/** One vehicle (`orderIds` + `vehicle`) or a fleet sent at once (`vehicles`, each with its orders). */
export const dispatchBody = z.object({
  transportOrgId: z.number().int().positive(),
  orderIds: orderIds.optional(),
  vehicle: z.string().max(40).optional(),
  vehicles: z
    .array(z.object({ vehicle: z.string().max(40), orderIds }))
    .min(1)
    .max(100)
    .optional(),
});
export const movementBody = z.object({ orderIds });
export const ordersResponse = z.object({ items: z.array(orderSchema) });
export const cancelBody = z.object({ reason });
export const cancelResponse = z.object({ cancelled: orderSchema, replacement: orderSchema.nullable() });
