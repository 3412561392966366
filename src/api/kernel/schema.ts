import { z } from 'zod';
import { ALERT_LEVELS, ALERT_STATES } from '../../domain/kernel/alerts.ts';
import { CONTROL_KINDS } from '../../domain/kernel/control-episodes.ts';

/** Request and response schemas of the kernel routes; types are inferred from them. Instants are epoch ms. */
const id = z.coerce.number().int().positive();

export const alertSchema = z.object({
  id: z.number().int(),
  rule: z.string(),
  level: z.enum(ALERT_LEVELS),
  state: z.enum(ALERT_STATES),
  regionIds: z.array(z.number().int()),
  subject: z.object({ type: z.string(), id: z.string() }),
  details: z.record(z.string(), z.unknown()),
  openedAt: z.number(),
  owner: z.number().int().nullable(),
  acknowledgedAt: z.number().nullable(),
  acknowledgedBy: z.number().int().nullable(),
  resolvedAt: z.number().nullable(),
  resolvedBy: z.number().int().nullable(),
  resolution: z.string().nullable(),
});
export type AlertView = z.infer<typeof alertSchema>;

export const alertListQuery = z.object({
  state: z.enum(ALERT_STATES).optional(),
  rule: z.string().min(1).optional(),
  cursor: id.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const alertListResponse = z.object({
  items: z.array(alertSchema),
  nextCursor: z.number().int().nullable(),
});
export const alertParams = z.object({ id });
/** Optional: with no body, the acknowledging user becomes the owner. */
export const acknowledgeBody = z.object({ owner: z.number().int().positive().optional() }).nullish();
export const resolveBody = z.object({
  resolution: z.string().trim().min(1, 'say how the alert was resolved').max(2000),
});

export const controlEpisodeSchema = z.object({
  id: z.number().int(),
  personId: z.number().int(),
  kind: z.enum(CONTROL_KINDS),
  from: z.number(),
  until: z.number().nullable(),
  source: z.object({ type: z.string(), id: z.string() }),
  endedReason: z.string().nullable(),
  activeNow: z.boolean(),
});
export type ControlEpisodeView = z.infer<typeof controlEpisodeSchema>;

export const controlEpisodeQuery = z.object({
  personId: id,
  /** Only episodes active at this instant (epoch ms); omitted = the whole history. */
  activeAt: z.coerce.number().int().optional(),
});
export const controlEpisodeResponse = z.object({
  personId: z.number().int(),
  items: z.array(controlEpisodeSchema),
});

const label = z.object({ zh: z.string(), en: z.string() });
export const ruleSetSummarySchema = z.object({
  name: z.string(),
  version: z.number().int(),
  basedOn: z.string().nullable(),
  title: label,
  shipped: z.boolean(),
  active: z.boolean(),
});
export const ruleSetListResponse = z.object({ items: z.array(ruleSetSummarySchema) });
export const ruleSetParams = z.object({ name: z.string().min(1).max(63) });
export const activateRuleSetBody = z.object({ name: z.string().min(1).max(63) });
