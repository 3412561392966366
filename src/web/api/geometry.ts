import type { ApiClient } from './client.ts';

/** A child region's shape as the regions API serves it (GeoJSON Feature). */
export interface RegionFeature {
  type: 'Feature';
  id?: number | string;
  properties: Record<string, unknown> | null;
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown } | null;
}

export interface RegionFeatureCollection {
  type: 'FeatureCollection';
  features: RegionFeature[];
}

/** The region id a feature stands for, wherever the API put it. */
export function featureRegionId(feature: RegionFeature): number | null {
  const props = feature.properties ?? {};
  const candidates = [props.id, props.regionId, feature.id];
  for (const c of candidates) {
    const n = typeof c === 'string' ? Number(c) : c;
    if (typeof n === 'number' && Number.isFinite(n)) return n;
  }
  return null;
}

export function fetchChildShapes(api: ApiClient, regionId: number): Promise<RegionFeatureCollection> {
  return api.get<RegionFeatureCollection>(`/regions/${regionId}/children?geometry=1`);
}
