import { z } from 'zod';

/** The public bulletin's JSON (GET /api/v1/bulletin/:day): counts and places, never a person. */
const count = z.number().int().nonnegative();
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a calendar day, YYYY-MM-DD');

const figures = {
  newPositives: count,
  insideControl: count,
  community: count,
  discharged: count,
  deaths: count,
  zones: z.object({ sealed: count, controlled: count, precaution: count }),
};

export const bulletinSchema = z.object({
  day,
  issuedAt: z.number(),
  timeZone: z.string(),
  ruleSet: z.string(),
  region: z.object({ id: z.number().int(), name: z.string(), nameEn: z.string() }),
  totals: z.object(figures),
  districts: z.array(
    z.object({
      regionId: z.number().int(),
      name: z.string(),
      nameEn: z.string(),
      ...figures,
      places: z.array(z.object({ name: z.string(), address: z.string() })),
    }),
  ),
});

export const bulletinParams = z.object({ day: z.union([day, z.literal('latest')]) });

export const bulletinListResponse = z.object({
  items: z.array(z.object({ day, issuedAt: z.number(), newPositives: count, community: count })),
});

export const feedQuery = z.object({ lang: z.enum(['zh-CN', 'en']).default('zh-CN') });
