import { z } from 'zod';
import { ROLES } from '../../domain/access/roles.ts';

/** Login and identity schemas. */
export const LoginBody = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
});

export const ScopeView = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('region'),
    regionId: z.number(),
    regionName: z.string().nullable(),
    level: z.enum(['city', 'district', 'street', 'committee']).nullable(),
  }),
  z.object({ kind: z.literal('organisation'), organisationId: z.number() }),
  z.object({ kind: z.literal('self'), personId: z.number() }),
]);
export type ScopeView = z.infer<typeof ScopeView>;

export const UserSummary = z.object({ username: z.string(), role: z.enum(ROLES), scope: ScopeView });
export type UserSummary = z.infer<typeof UserSummary>;

export const LoginResponse = z.object({ token: z.string(), expiresAt: z.number(), user: UserSummary });
