/**
 * Synthetic street (街镇) shapes: Voronoi cells of seeded points inside a district, clipped to
 * the district's real outline. Real street boundaries are not in any open package we can ship,
 * and the map only needs streets that tile their district plausibly for the drill-down.
 */
import { Delaunay } from 'd3-delaunay';
import * as polygonClippingModule from 'polygon-clipping';
import type { Random } from '../random.ts';
import {
  bboxOf,
  containsPoint,
  polygonsOf,
  type Geometry,
  type MultiPolygonCoords,
  type Position,
} from './geometry.ts';

type Clipper = typeof import('polygon-clipping');
// polygon-clipping ships CommonJS: under Node's ESM loader its functions sit on `default`.
const clipping: Clipper =
  (polygonClippingModule as unknown as { default?: Clipper }).default ??
  (polygonClippingModule as unknown as Clipper);

export interface StreetCell {
  /** The seed point: always inside both the district and the cell. */
  site: Position;
  geometry: Geometry;
}

/**
 * Splits a district into `count` cells. Seed points are drawn uniformly inside the district and
 * spread by two rounds of Lloyd relaxation before the one (costly) clip.
 */
export function streetCells(district: Geometry, count: number, random: Random): StreetCell[] {
  const box = bboxOf(district);
  const sites: Position[] = [];
  for (let attempts = 0; sites.length < count && attempts < count * 5000; attempts++) {
    const lng = random.between(box.minLng, box.maxLng);
    const lat = random.between(box.minLat, box.maxLat);
    if (containsPoint(district, lng, lat)) sites.push([lng, lat]);
  }
  if (sites.length < count) throw new RangeError(`could not place ${count} street seeds inside the district`);

  const bounds: [number, number, number, number] = [
    box.minLng - 0.01,
    box.minLat - 0.01,
    box.maxLng + 0.01,
    box.maxLat + 0.01,
  ];
  for (let round = 0; round < 2; round++) {
    // Lloyd step on the unclipped cells (cheap): move each seed towards the middle of its cell,
    // keeping it inside the district, so that streets come out of similar size.
    const voronoi = Delaunay.from(sites).voronoi(bounds);
    for (let i = 0; i < sites.length; i++) {
      const cell = voronoi.cellPolygon(i);
      const c = cell ? largestCentroid([[cell.map(([x, y]) => [x, y] as Position)]]) : null;
      if (c && containsPoint(district, c[0], c[1])) sites[i] = c;
    }
  }
  const cells = clipCells(sites, bounds, polygonsOf(district) as MultiPolygonCoords);
  return sites.map((site, i) => {
    const polys = cells[i];
    // A cell can vanish only if clipping loses a sliver; fall back to a tiny square at the seed.
    const geometry: Geometry =
      polys && polys.length
        ? polys.length === 1
          ? { type: 'Polygon', coordinates: polys[0] }
          : { type: 'MultiPolygon', coordinates: polys }
        : { type: 'Polygon', coordinates: [squareAround(site, 0.002)] };
    return { site, geometry };
  });
}

function clipCells(
  sites: Position[],
  bounds: [number, number, number, number],
  district: MultiPolygonCoords,
): (MultiPolygonCoords | null)[] {
  const voronoi = Delaunay.from(sites).voronoi(bounds);
  return sites.map((_, i) => {
    const cell = voronoi.cellPolygon(i);
    if (!cell) return null;
    const ring = cell.map(([x, y]) => [x, y] as [number, number]);
    return clipping.intersection([ring], district) as MultiPolygonCoords;
  });
}

function largestCentroid(polys: MultiPolygonCoords): Position | null {
  let best: Position | null = null;
  let bestArea = 0;
  for (const poly of polys) {
    const ring = poly[0];
    let a = 0;
    let cx = 0;
    let cy = 0;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const f = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
      a += f;
      cx += (ring[j][0] + ring[i][0]) * f;
      cy += (ring[j][1] + ring[i][1]) * f;
    }
    if (Math.abs(a) > bestArea && a !== 0) {
      bestArea = Math.abs(a);
      best = [cx / (3 * a), cy / (3 * a)];
    }
  }
  return best;
}

function squareAround([lng, lat]: Position, half: number): Position[] {
  return [
    [lng - half, lat - half],
    [lng + half, lat - half],
    [lng + half, lat + half],
    [lng - half, lat + half],
    [lng - half, lat - half],
  ];
}
