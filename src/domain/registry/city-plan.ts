/**
 * The region tree of a synthetic city (市 → 区 → 街镇 → 居委/村委) with populations and
 * shapes, from census reference data, a scale factor and a seed. Pure and deterministic: the
 * same inputs give the same plan, which is plain data (it crosses to the seeding worker).
 */
import { Random, apportion } from '../random.ts';
import {
  bboxOf,
  centroidOf,
  containsPoint,
  randomPointIn,
  roundGeometry,
  type BBox,
  type Geometry,
  type Position,
} from './geometry.ts';
import { uniquePlaceName } from './names.ts';
import { streetCells } from './street-cells.ts';

export interface DistrictReference {
  code: string;
  name: string;
  nameEn: string;
  population: number;
  areaKm2: number;
  /** central | pudong | suburban: decides street vs town (街道 / 镇) and villages. */
  zoneGroup: string;
  geometry: Geometry;
}

export interface CityOptions {
  /** Population factor: 1 = the 2020 census (24.87 M residents). */
  scale: number;
  seed: number;
  /** The year ages are counted in (the scenario year). */
  referenceYear?: number;
}

export interface CommitteePlan {
  id: number;
  code: string;
  name: string;
  nameEn: string;
  population: number;
  /** 村委 (village) rather than 居委 (residents' committee). */
  rural: boolean;
}

export interface StreetPlan {
  id: number;
  code: string;
  name: string;
  nameEn: string;
  population: number;
  geometry: Geometry;
  box: BBox;
  /** A point inside the street, used as its label position and as a fallback. */
  centre: Position;
  committees: CommitteePlan[];
}

export interface DistrictPlan {
  id: number;
  index: number;
  code: string;
  name: string;
  nameEn: string;
  zoneGroup: string;
  population: number;
  areaKm2: number;
  geometry: Geometry;
  centre: Position;
  streets: StreetPlan[];
}

export interface CityPlan {
  scale: number;
  seed: number;
  referenceYear: number;
  city: { id: number; code: string; name: string; nameEn: string; population: number; centre: Position };
  districts: DistrictPlan[];
}

/** Shanghai has about 215 streets and towns (街道 107, 镇 106, 乡 2). */
export const CITY_STREETS = 215;
/** A neighbourhood committee serves roughly 3,000–4,000 residents. */
export const RESIDENTS_PER_COMMITTEE = 3500;
/** Below this many residents per street, a tiny test city gets fewer streets. */
const MIN_STREET_POPULATION = 20;

export function planCity(reference: readonly DistrictReference[], options: CityOptions): CityPlan {
  if (!(options.scale > 0)) throw new RangeError('scale must be positive');
  const random = new Random(`city:${options.seed}`);
  const streetCounts = apportion(
    CITY_STREETS,
    reference.map((d) => d.population),
    2,
  );
  let nextId = 2 + reference.length;
  const districts: DistrictPlan[] = reference.map((ref, index) => {
    const population = Math.round(ref.population * options.scale);
    const streetCount = Math.max(
      2,
      Math.min(streetCounts[index], Math.floor(population / MIN_STREET_POPULATION)),
    );
    const districtRandom = random.fork(ref.code);
    const cells = streetCells(ref.geometry, streetCount, districtRandom);
    const streetPops = apportion(
      population,
      cells.map(() => districtRandom.between(0.6, 1.4)),
    );
    const names = new Set<string>();
    const townShare = ref.zoneGroup === 'central' ? 0 : ref.zoneGroup === 'pudong' ? 0.65 : 0.75;
    const districtId = 2 + index;
    const streets: StreetPlan[] = cells.map((cell, s) => {
      const isTown = districtRandom.chance(townShare);
      const base = uniquePlaceName(districtRandom, names);
      const code = `${ref.code}${String(s + 1).padStart(3, '0')}`;
      const id = nextId++;
      const committeeCount = Math.max(1, Math.round(streetPops[s] / RESIDENTS_PER_COMMITTEE));
      const committeePops = apportion(
        streetPops[s],
        Array.from({ length: committeeCount }, () => districtRandom.between(0.7, 1.3)),
      );
      const committeeNames = new Set<string>();
      const committees = committeePops.map((population, c): CommitteePlan => {
        const rural = isTown && districtRandom.chance(0.45);
        const cname = uniquePlaceName(districtRandom, committeeNames);
        return {
          id: 0,
          code: `${code}${String(c + 1).padStart(3, '0')}`,
          name: rural ? `${cname.zh}村委会` : `${cname.zh}居委会`,
          nameEn: rural ? `${cname.en} Village` : `${cname.en} Residents' Committee`,
          population,
          rural,
        };
      });
      const geometry = roundGeometry(cell.geometry);
      const centroid = centroidOf(geometry);
      return {
        id,
        code,
        name: isTown ? `${base.zh}镇` : `${base.zh}街道`,
        nameEn: isTown ? `${base.en} Town` : `${base.en} Subdistrict`,
        population: streetPops[s],
        geometry,
        box: bboxOf(geometry),
        centre: containsPoint(geometry, centroid[0], centroid[1]) ? centroid : cell.site,
        committees,
      };
    });
    return {
      id: districtId,
      index,
      code: ref.code,
      name: ref.name,
      nameEn: ref.nameEn,
      zoneGroup: ref.zoneGroup,
      population,
      areaKm2: ref.areaKm2,
      geometry: roundGeometry(ref.geometry),
      centre: centroidOf(ref.geometry),
      streets,
    };
  });
  // Committees are numbered after every street, so street ids do not depend on the scale.
  for (const d of districts) for (const s of d.streets) for (const c of s.committees) c.id = nextId++;
  return {
    scale: options.scale,
    seed: options.seed,
    referenceYear: options.referenceYear ?? 2022,
    city: {
      id: 1,
      code: '310000',
      name: '上海市',
      nameEn: 'Shanghai',
      population: districts.reduce((s, d) => s + d.population, 0),
      centre: [121.4737, 31.2304],
    },
    districts,
  };
}

/** The plan's regions as rows for the regions table. */
export interface PlannedRegion {
  id: number;
  parentId: number | null;
  level: 'city' | 'district' | 'street' | 'committee';
  code: string;
  name: string;
  nameEn: string;
  districtId: number | null;
  streetId: number | null;
  population: number;
  areaKm2: number | null;
  geometry: Geometry | null;
  lng: number | null;
  lat: number | null;
}

export function plannedRegions(plan: CityPlan): PlannedRegion[] {
  const { city } = plan;
  const out: PlannedRegion[] = [
    {
      id: city.id,
      parentId: null,
      level: 'city',
      code: city.code,
      name: city.name,
      nameEn: city.nameEn,
      districtId: null,
      streetId: null,
      population: city.population,
      areaKm2: plan.districts.reduce((s, d) => s + d.areaKm2, 0),
      geometry: null,
      lng: city.centre[0],
      lat: city.centre[1],
    },
  ];
  for (const d of plan.districts) {
    out.push({
      id: d.id,
      parentId: city.id,
      level: 'district',
      code: d.code,
      name: d.name,
      nameEn: d.nameEn,
      districtId: d.id,
      streetId: null,
      population: d.population,
      areaKm2: d.areaKm2,
      geometry: d.geometry,
      lng: d.centre[0],
      lat: d.centre[1],
    });
  }
  for (const d of plan.districts) {
    for (const s of d.streets) {
      out.push({
        id: s.id,
        parentId: d.id,
        level: 'street',
        code: s.code,
        name: s.name,
        nameEn: s.nameEn,
        districtId: d.id,
        streetId: s.id,
        population: s.population,
        areaKm2: null,
        geometry: s.geometry,
        lng: s.centre[0],
        lat: s.centre[1],
      });
    }
  }
  for (const d of plan.districts) {
    for (const s of d.streets) {
      for (const c of s.committees) {
        out.push({
          id: c.id,
          parentId: s.id,
          level: 'committee',
          code: c.code,
          name: c.name,
          nameEn: c.nameEn,
          districtId: d.id,
          streetId: s.id,
          population: c.population,
          areaKm2: null,
          geometry: null,
          lng: null,
          lat: null,
        });
      }
    }
  }
  return out;
}

/** A random position inside the street, rounded to about 10 cm. */
export function randomPointInStreet(street: StreetPlan, random: Random): Position {
  const [lng, lat] = randomPointIn(street.geometry, street.box, random, street.centre);
  return [Math.round(lng * 1e6) / 1e6, Math.round(lat * 1e6) / 1e6];
}
