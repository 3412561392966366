import type { RegionNode } from '../../app/registry/region-directory.ts';
import type { PlaceRow } from '../../store/registry/registry-queries.ts';
import type { RegionView } from './schema.ts';
import type { z } from 'zod';
import type { GeoJsonGeometry, PlaceView } from './schema.ts';

/** The only place that shapes registry JSON for clients. */
export function presentRegion(node: RegionNode, access: 'full' | 'names'): RegionView {
  const full = access === 'full';
  return {
    id: node.id,
    parentId: node.parentId,
    level: node.level,
    code: node.code,
    name: node.name,
    nameEn: node.nameEn,
    districtId: node.districtId,
    streetId: node.streetId,
    population: full ? node.population : null,
    lng: node.lng,
    lat: node.lat,
    namesOnly: !full,
  };
}

export function presentGeometry(stored: string | null | undefined): z.infer<typeof GeoJsonGeometry> | null {
  return stored ? (JSON.parse(stored) as z.infer<typeof GeoJsonGeometry>) : null;
}

export function presentPlace(row: PlaceRow): z.infer<typeof PlaceView> {
  return {
    id: row.id,
    districtId: row.district_id,
    streetId: row.street_id,
    committeeId: row.committee_id,
    kind: row.kind,
    name: row.name,
    parentPlaceId: row.parent_place_id,
    floors: row.floors,
    address: row.address,
    lng: row.lng,
    lat: row.lat,
  };
}
