import { z } from 'zod';
import { EXEMPTION_KINDS } from '../../domain/status/inputs.ts';
import { STATUS_REASONS } from '../../domain/rules/schema.ts';

/** Request and response schemas of the status API; route types are inferred from them. */
const id = z.coerce.number().int().positive();
const label = z.object({ zh: z.string(), en: z.string() });

export const PersonParams = z.object({ personId: id });
export const ExemptionParams = z.object({ exemptionId: id });

export const StatusReasonView = z.object({
  code: z.enum(STATUS_REASONS),
  colour: z.enum(['red', 'yellow']),
  label,
  /** Epoch ms: when the cause began. */
  since: z.number(),
  /** Epoch ms: when it ends by itself, if known. */
  until: z.number().nullable(),
});

export const StatusView = z.object({
  colour: z.enum(['red', 'yellow', 'green']),
  reasons: z.array(StatusReasonView),
  waived: z.array(
    StatusReasonView.extend({
      exemption: z.object({ id: z.number(), kind: z.string(), note: z.string(), until: z.number() }),
    }),
  ),
  /** Epoch ms: the instant it was computed (always now: status is never stored). */
  computedAt: z.number(),
});

export const OnDutyBody = z.object({
  code: z.string().trim().min(10).max(2000).describe('the person code the worker shows (QR content)'),
});

/** Nothing beyond allowed or not, and why: no name, no dates, no colour. */
export const OnDutyView = z.object({
  allowed: z.boolean(),
  reasons: z.array(z.object({ code: z.enum(STATUS_REASONS), label })),
});

export const ExemptionBody = z.object({
  reasonCode: z.enum(STATUS_REASONS),
  kind: z.enum(EXEMPTION_KINDS),
  note: z.string().trim().min(4).max(500).describe('why: the audited reason'),
  from: z.number().int().optional().describe('epoch ms; default now'),
  until: z.number().int().describe('epoch ms'),
});

export const ExemptionView = z.object({
  id: z.number(),
  personId: z.number(),
  reasonCode: z.string(),
  kind: z.string(),
  note: z.string(),
  from: z.number(),
  until: z.number(),
});

export const RevokeBody = z.object({ reason: z.string().trim().min(4).max(500) });

export const ArrivalBody = z.object({
  arrivedAt: z.number().int().describe('epoch ms'),
  fromLevel: z.enum(['sealed', 'controlled', 'precaution', 'high', 'medium', 'low']),
  origin: z.string().trim().min(1).max(200).describe('the place or area the person came from'),
});

export const ArrivalView = z.object({
  id: z.number(),
  personId: z.number(),
  arrivedAt: z.number(),
  fromLevel: z.string(),
  origin: z.string(),
});

export const HistoryView = z.object({
  current: StatusView,
  history: z.array(
    z.object({ since: z.number(), colour: z.string(), reasons: z.array(z.string()), recordedAt: z.number() }),
  ),
});
