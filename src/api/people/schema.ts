import { z } from 'zod';
import { VULNERABLE_FLAGS } from '../../app/access/scoped-people.ts';
import { REVEALABLE_FIELDS } from '../../domain/access/policy.ts';

/** Request and response schemas of the people API; the route types are inferred from them. */
const id = z.coerce.number().int().positive();

export const PersonParams = z.object({ id });

/** The list filters, shared by the list and the CSV export. */
export const PeopleFilterQuery = z.object({
  street: id.optional().describe('street region id'),
  committee: id.optional().describe('neighbourhood committee region id'),
  household: id.optional().describe('household id'),
  occupation: z.string().trim().min(1).max(64).optional().describe('key-industry occupation code'),
  vulnerable: z
    .enum([...VULNERABLE_FLAGS, 'any'])
    .optional()
    .describe('a vulnerable-group flag, or any'),
  q: z.string().trim().min(1).max(32).optional().describe('name prefix'),
});

export const PeopleListQuery = PeopleFilterQuery.extend({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().min(1).max(200).optional().describe('nextCursor of the previous page'),
});

export const PersonView = z.object({
  id: z.number(),
  districtId: z.number(),
  streetId: z.number(),
  committeeId: z.number().nullable(),
  householdId: z.number().nullable(),
  placeId: z.number().nullable(),
  /** Masked (张*) unless revealed. */
  name: z.string().nullable(),
  /** Masked (138****0001) unless revealed. */
  phone: z.string().nullable(),
  /** The building unless revealed; the flat when revealed. */
  address: z.string().nullable(),
  birthYear: z.number().nullable(),
  sex: z.enum(['F', 'M']).nullable(),
  occupation: z.string().nullable(),
  workplaceOrgId: z.number().nullable(),
  vulnerable: z.array(z.string()),
  masked: z.boolean(),
  /** Personal fields were removed after the retention period. */
  purged: z.boolean(),
});
export type PersonView = z.infer<typeof PersonView>;

export const PeoplePage = z.object({ items: z.array(PersonView), nextCursor: z.string().nullable() });

export const RevealBody = z.object({
  fields: z.array(z.enum(REVEALABLE_FIELDS)).min(1).max(REVEALABLE_FIELDS.length),
  /** Checked by the policy, not here, so that a missing reason is `reason_required`. */
  reason: z.string().max(500).optional(),
});

export const RevealResponse = z.object({
  id: z.number(),
  fields: z.object({
    name: z.string().nullable().optional(),
    phone: z.string().nullable().optional(),
    address: z.string().nullable().optional(),
  }),
  reason: z.string().nullable(),
});
export type RevealResponse = z.infer<typeof RevealResponse>;

export const PersonCodeResponse = z.object({ code: z.string(), expiresAt: z.number() });
