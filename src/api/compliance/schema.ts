import { z } from 'zod';
import { OVERDUE_GROUPS } from '../../app/compliance/queries.ts';

/** Request and response schemas of the compliance API (应检尽检 / 应检未检). */
const id = z.coerce.number().int().positive();

const rhythm = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('interval'), hours: z.number().int().positive() }),
  z.object({
    kind: z.literal('per_day'),
    times: z.number().int().positive(),
    minHoursApart: z.number().min(0),
  }),
]);

export const DutyParams = z.object({ dutyId: id });
export const PersonParams = z.object({ personId: id });

export const DutyBody = z.object({
  kind: z.enum(['area', 'occupation']),
  regionId: id.describe('the area (or where the occupation duty applies; the city for all)'),
  occupation: z.string().trim().min(1).max(64).optional(),
  rhythm: rhythm.optional().describe("default: the rule set's rhythm for the occupation, or its area duty"),
  startsAt: z.number().int().optional(),
  reason: z.string().trim().min(4).max(500),
});

export const DutyView = z.object({
  id: z.number(),
  kind: z.enum(['area', 'occupation']),
  regionId: z.number(),
  occupation: z.string().nullable(),
  rhythm,
  startsAt: z.number(),
  endsAt: z.number().nullable(),
  reason: z.string(),
  ordersCreated: z.number().optional(),
});

export const EndDutyBody = z.object({ reason: z.string().trim().min(4).max(500) });

export const ComplianceView = z.object({
  state: z.enum(['current', 'due', 'overdue']),
  nextDueAt: z.number().nullable(),
  overdueSince: z.number().nullable(),
});

export const OverdueQuery = z.object({
  groupBy: z.enum(OVERDUE_GROUPS).default('building'),
  regionId: id.optional().describe('a region inside yours (default: yours)'),
  cursor: id.optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});

export const OverdueCsvQuery = OverdueQuery.pick({ groupBy: true, regionId: true });

const overduePerson = z.object({
  personId: z.number(),
  householdId: z.number().nullable(),
  buildingId: z.number().nullable(),
  employerId: z.number().nullable(),
  streetId: z.number(),
  committeeId: z.number().nullable(),
  occupation: z.string().nullable(),
  overdueSince: z.number(),
  openDuties: z.number(),
});

export const OverdueView = z.object({
  groups: z.array(
    z.object({
      group: z.enum(OVERDUE_GROUPS),
      id: z.number().nullable(),
      label: z.string().nullable(),
      people: z.array(overduePerson),
    }),
  ),
  nextCursor: z.number().nullable(),
});
