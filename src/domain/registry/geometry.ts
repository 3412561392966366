/**
 * Plain GeoJSON-style geometry in WGS84 degrees ([lng, lat]) and the few operations the
 * registry needs: decoding ECharts' compressed maps, bounding boxes, point-in-polygon,
 * centroids and sampling a random point inside a shape.
 */
import type { Random } from '../random.ts';

export type Position = [number, number];
export type Ring = Position[];
export type PolygonCoords = Ring[];
export type MultiPolygonCoords = PolygonCoords[];

export type Geometry =
  { type: 'Polygon'; coordinates: PolygonCoords } | { type: 'MultiPolygon'; coordinates: MultiPolygonCoords };

export interface BBox {
  minLng: number;
  minLat: number;
  maxLng: number;
  maxLat: number;
}

/** Any geometry as a list of polygons. */
export function polygonsOf(geometry: Geometry): MultiPolygonCoords {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

/**
 * Decodes one ring of ECharts' `UTF8Encoding` map format (echarts `parseGeoJson` /
 * `decodeRing`): each coordinate is a pair of characters holding a zigzag-encoded delta
 * (`charCode - 64`), accumulated from the ring's encode offset and divided by the scale.
 */
export function decodeEchartsRing(encoded: string, offset: readonly [number, number], scale = 1024): Ring {
  const ring: Ring = [];
  let prevX = offset[0];
  let prevY = offset[1];
  for (let i = 0; i + 1 < encoded.length; i += 2) {
    let x = encoded.charCodeAt(i) - 64;
    let y = encoded.charCodeAt(i + 1) - 64;
    x = (x >> 1) ^ -(x & 1);
    y = (y >> 1) ^ -(y & 1);
    x += prevX;
    y += prevY;
    prevX = x;
    prevY = y;
    ring.push([x / scale, y / scale]);
  }
  return closeRing(ring);
}

/** An ECharts-encoded feature geometry (`coordinates` are strings, `encodeOffsets` numbers). */
export interface EncodedGeometry {
  type: 'Polygon' | 'MultiPolygon';
  coordinates: unknown;
  encodeOffsets: unknown;
}

export function decodeEchartsGeometry(geometry: EncodedGeometry, scale = 1024): Geometry {
  if (geometry.type === 'Polygon') {
    const rings = geometry.coordinates as string[];
    const offsets = geometry.encodeOffsets as [number, number][];
    return { type: 'Polygon', coordinates: rings.map((r, i) => decodeEchartsRing(r, offsets[i], scale)) };
  }
  const polygons = geometry.coordinates as string[][];
  const offsets = geometry.encodeOffsets as [number, number][][];
  return {
    type: 'MultiPolygon',
    coordinates: polygons.map((rings, p) => rings.map((r, i) => decodeEchartsRing(r, offsets[p][i], scale))),
  };
}

function closeRing(ring: Ring): Ring {
  if (ring.length === 0) return ring;
  const [first, last] = [ring[0], ring[ring.length - 1]];
  if (first[0] !== last[0] || first[1] !== last[1]) ring.push([first[0], first[1]]);
  return ring;
}

export function bboxOf(geometry: Geometry): BBox {
  const box = { minLng: Infinity, minLat: Infinity, maxLng: -Infinity, maxLat: -Infinity };
  for (const polygon of polygonsOf(geometry)) {
    for (const [lng, lat] of polygon[0]) {
      if (lng < box.minLng) box.minLng = lng;
      if (lng > box.maxLng) box.maxLng = lng;
      if (lat < box.minLat) box.minLat = lat;
      if (lat > box.maxLat) box.maxLat = lat;
    }
  }
  return box;
}

function inRing(lng: number, lat: number, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Even-odd rule over the outer ring and its holes, for every polygon. */
export function containsPoint(geometry: Geometry, lng: number, lat: number): boolean {
  for (const polygon of polygonsOf(geometry)) {
    if (!inRing(lng, lat, polygon[0])) continue;
    if (!polygon.slice(1).some((hole) => inRing(lng, lat, hole))) return true;
  }
  return false;
}

/** Signed area of a ring in square degrees (positive when counter-clockwise). */
export function ringArea(ring: Ring): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    sum += ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
  }
  return sum / 2;
}

/** Area-weighted centroid of the largest polygon (its outer ring). */
export function centroidOf(geometry: Geometry): Position {
  const polygons = polygonsOf(geometry);
  let best = polygons[0][0];
  for (const p of polygons) if (Math.abs(ringArea(p[0])) > Math.abs(ringArea(best))) best = p[0];
  let cx = 0;
  let cy = 0;
  let a = 0;
  for (let i = 0, j = best.length - 1; i < best.length; j = i++) {
    const f = best[j][0] * best[i][1] - best[i][0] * best[j][1];
    cx += (best[j][0] + best[i][0]) * f;
    cy += (best[j][1] + best[i][1]) * f;
    a += f;
  }
  if (a === 0) return [best[0][0], best[0][1]];
  return [cx / (3 * a), cy / (3 * a)];
}

/**
 * A uniformly random point inside the shape, by rejection from its bounding box. Falls back to
 * `fallback` when the shape is a sliver that rejection sampling keeps missing.
 */
export function randomPointIn(geometry: Geometry, box: BBox, random: Random, fallback: Position): Position {
  for (let attempt = 0; attempt < 200; attempt++) {
    const lng = random.between(box.minLng, box.maxLng);
    const lat = random.between(box.minLat, box.maxLat);
    if (containsPoint(geometry, lng, lat)) return [lng, lat];
  }
  return fallback;
}

/** Rounds coordinates to about 1 m, which keeps stored GeoJSON small. */
export function roundGeometry(geometry: Geometry, digits = 5): Geometry {
  const f = 10 ** digits;
  const r = (p: Position): Position => [Math.round(p[0] * f) / f, Math.round(p[1] * f) / f];
  if (geometry.type === 'Polygon') {
    return { type: 'Polygon', coordinates: geometry.coordinates.map((ring) => ring.map(r)) };
  }
  return { type: 'MultiPolygon', coordinates: geometry.coordinates.map((p) => p.map((ring) => ring.map(r))) };
}
