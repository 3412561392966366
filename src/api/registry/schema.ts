import { z } from 'zod';
import { PLACE_KINDS } from '../../domain/registry/vocabulary.ts';

/** Request and response schemas of the registry API; route types are inferred from them. */
const id = z.coerce.number().int().positive();
const LEVELS = ['city', 'district', 'street', 'committee'] as const;

export const RegionParams = z.object({ id });

export const RegionTreeQuery = z.object({
  maxLevel: z
    .enum(LEVELS)
    .optional()
    .describe('deepest level to include (e.g. street leaves committees out)'),
});

export const ChildrenQuery = z.object({
  geometry: z
    .enum(['0', '1', 'true', 'false'])
    .optional()
    .transform((v) => v === '1' || v === 'true')
    .describe('1 to include each child’s shape (GeoJSON)'),
});

export const RegionView = z.object({
  id: z.number(),
  parentId: z.number().nullable(),
  level: z.enum(LEVELS),
  code: z.string(),
  name: z.string(),
  nameEn: z.string(),
  districtId: z.number().nullable(),
  streetId: z.number().nullable(),
  /** Null where the caller sees names only (ancestors of their area; organisation or self scopes). */
  population: z.number().nullable(),
  lng: z.number().nullable(),
  lat: z.number().nullable(),
  namesOnly: z.boolean(),
});
export type RegionView = z.infer<typeof RegionView>;

export const RegionTree = z.object({
  /** The caller's area: the root of the subtree they see in full. */
  rootId: z.number(),
  /** Flat, parents before children; build the tree with parentId. */
  regions: z.array(RegionView),
});

export const GeoJsonGeometry = z.object({
  type: z.enum(['Polygon', 'MultiPolygon']),
  coordinates: z.array(z.unknown()),
});

export const RegionDetail = RegionView.extend({
  geometry: GeoJsonGeometry.nullable(),
  children: z.number().describe('number of child regions'),
});

export const RegionFeatureCollection = z.object({
  type: z.literal('FeatureCollection'),
  parent: RegionView,
  features: z.array(
    z.object({
      type: z.literal('Feature'),
      id: z.number(),
      properties: RegionView,
      geometry: GeoJsonGeometry.nullable(),
    }),
  ),
});

export const PlacesQuery = z.object({
  street: id.optional().describe('street region id'),
  committee: id.optional().describe('committee region id'),
  kind: z.enum(PLACE_KINDS).optional(),
  parent: id.optional().describe('places inside this compound'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: id.optional().describe('nextCursor of the previous page'),
});

export const PlaceView = z.object({
  id: z.number(),
  districtId: z.number(),
  streetId: z.number(),
  committeeId: z.number().nullable(),
  kind: z.string(),
  name: z.string(),
  parentPlaceId: z.number().nullable(),
  floors: z.number().nullable(),
  address: z.string(),
  lng: z.number().nullable(),
  lat: z.number().nullable(),
});

export const PlacePage = z.object({ items: z.array(PlaceView), nextCursor: z.number().nullable() });
