import type { AppContext } from '../../src/app/context.ts';

/**
 * A tiny hand-made city for tests that need a few known rows: city 1 → districts 10 (黄浦) and
 * 20 (徐汇) → streets 11, 12 / 21 → committees 111 / 211; one compound with two buildings in
 * street 11, one building in street 21; households and people with fixed ids.
 */
export const FIXTURE = {
  city: 1,
  districtA: 10,
  districtB: 20,
  streetA1: 11,
  streetA2: 12,
  streetB1: 21,
  committeeA1: 111,
  committeeB1: 211,
  compoundA: 1000,
  buildingA1: 1001,
  buildingA2: 1002,
  buildingB1: 2001,
  workplaceA: 500,
  labA: 501,
  personA1: 1,
  personA2: 2,
  personA3: 3,
  personB1: 4,
  personB2: 5,
} as const;

export async function loadFixture(ctx: AppContext): Promise<void> {
  const db = ctx.store.db;
  const F = FIXTURE;
  const now = ctx.clock.now();
  await db
    .insertInto('regions')
    .values([
      {
        id: F.city,
        parent_id: null,
        level: 'city',
        code: '310000',
        name: '上海市',
        name_en: 'Shanghai',
        district_id: null,
        street_id: null,
        population: 5,
        area_km2: null,
        geometry: null,
        lng: 121.47,
        lat: 31.23,
      },
      {
        id: F.districtA,
        parent_id: F.city,
        level: 'district',
        code: '310101',
        name: '黄浦区',
        name_en: 'Huangpu',
        district_id: F.districtA,
        street_id: null,
        population: 3,
        area_km2: 20,
        geometry: null,
        lng: 121.48,
        lat: 31.22,
      },
      {
        id: F.districtB,
        parent_id: F.city,
        level: 'district',
        code: '310104',
        name: '徐汇区',
        name_en: 'Xuhui',
        district_id: F.districtB,
        street_id: null,
        population: 2,
        area_km2: 55,
        geometry: null,
        lng: 121.43,
        lat: 31.18,
      },
      {
        id: F.streetA1,
        parent_id: F.districtA,
        level: 'street',
        code: '310101001',
        name: '南京东路街道',
        name_en: 'Nanjing East Road',
        district_id: F.districtA,
        street_id: F.streetA1,
        population: 3,
        area_km2: null,
        geometry: null,
        lng: null,
        lat: null,
      },
      {
        id: F.streetA2,
        parent_id: F.districtA,
        level: 'street',
        code: '310101002',
        name: '外滩街道',
        name_en: 'The Bund',
        district_id: F.districtA,
        street_id: F.streetA2,
        population: 0,
        area_km2: null,
        geometry: null,
        lng: null,
        lat: null,
      },
      {
        id: F.streetB1,
        parent_id: F.districtB,
        level: 'street',
        code: '310104001',
        name: '天平路街道',
        name_en: 'Tianping Road',
        district_id: F.districtB,
        street_id: F.streetB1,
        population: 2,
        area_km2: null,
        geometry: null,
        lng: null,
        lat: null,
      },
      {
        id: F.committeeA1,
        parent_id: F.streetA1,
        level: 'committee',
        code: '310101001001',
        name: '贵州居委',
        name_en: 'Guizhou',
        district_id: F.districtA,
        street_id: F.streetA1,
        population: 3,
        area_km2: null,
        geometry: null,
        lng: null,
        lat: null,
      },
      {
        id: F.committeeB1,
        parent_id: F.streetB1,
        level: 'committee',
        code: '310104001001',
        name: '建襄居委',
        name_en: 'Jianxiang',
        district_id: F.districtB,
        street_id: F.streetB1,
        population: 2,
        area_km2: null,
        geometry: null,
        lng: null,
        lat: null,
      },
    ])
    .execute();
  await db
    .insertInto('places')
    .values([
      {
        id: F.compoundA,
        district_id: F.districtA,
        street_id: F.streetA1,
        committee_id: F.committeeA1,
        kind: 'compound',
        name: '贵州小区',
        parent_place_id: null,
        floors: null,
        address: '贵州路1弄',
        lng: 121.48,
        lat: 31.235,
      },
      {
        id: F.buildingA1,
        district_id: F.districtA,
        street_id: F.streetA1,
        committee_id: F.committeeA1,
        kind: 'building',
        name: '贵州小区1号楼',
        parent_place_id: F.compoundA,
        floors: 6,
        address: '贵州路1弄1号',
        lng: 121.48,
        lat: 31.235,
      },
      {
        id: F.buildingA2,
        district_id: F.districtA,
        street_id: F.streetA1,
        committee_id: F.committeeA1,
        kind: 'building',
        name: '贵州小区2号楼',
        parent_place_id: F.compoundA,
        floors: 6,
        address: '贵州路1弄2号',
        lng: 121.481,
        lat: 31.235,
      },
      {
        id: F.buildingB1,
        district_id: F.districtB,
        street_id: F.streetB1,
        committee_id: F.committeeB1,
        kind: 'building',
        name: '建襄小区1号楼',
        parent_place_id: null,
        floors: 12,
        address: '建国西路1号',
        lng: 121.44,
        lat: 31.2,
      },
    ])
    .execute();
  await db
    .insertInto('organisations')
    .values([
      {
        id: F.workplaceA,
        district_id: F.districtA,
        street_id: F.streetA1,
        kind: 'workplace',
        name: '黄浦快递站',
        place_id: null,
        sector: 'delivery',
        daily_capacity: null,
      },
      {
        id: F.labA,
        district_id: F.districtA,
        street_id: F.streetA1,
        kind: 'lab',
        name: '黄浦检测实验室',
        place_id: null,
        sector: null,
        daily_capacity: 100000,
      },
    ])
    .execute();
  await db
    .insertInto('households')
    .values([
      {
        id: 1,
        district_id: F.districtA,
        street_id: F.streetA1,
        committee_id: F.committeeA1,
        place_id: F.buildingA1,
        floor: 3,
        room: '301',
      },
      {
        id: 2,
        district_id: F.districtA,
        street_id: F.streetA1,
        committee_id: F.committeeA1,
        place_id: F.buildingA1,
        floor: 4,
        room: '401',
      },
      {
        id: 3,
        district_id: F.districtB,
        street_id: F.streetB1,
        committee_id: F.committeeB1,
        place_id: F.buildingB1,
        floor: 5,
        room: '502',
      },
    ])
    .execute();
  const person = (
    id: number,
    household: number,
    district: number,
    street: number,
    committee: number,
    place: number,
    name: string,
    extra: Partial<{
      floor: number;
      workplace_org_id: number;
      occupation: string;
      vulnerable: string;
      birth_year: number;
    }> = {},
  ) => ({
    id,
    district_id: district,
    street_id: street,
    committee_id: committee,
    household_id: household,
    place_id: place,
    ref: `ref-${id}`,
    id_hash: Buffer.from(`hash-${id}`),
    name,
    phone: `1380000000${id}`,
    birth_year: extra.birth_year ?? 1980,
    sex: (id % 2 ? 'M' : 'F') as 'M' | 'F',
    floor: extra.floor ?? null,
    workplace_org_id: extra.workplace_org_id ?? null,
    occupation: extra.occupation ?? null,
    vulnerable: extra.vulnerable ?? '',
    created_at: now,
    last_activity_at: null,
    purged_at: null,
  });
  await db
    .insertInto('people')
    .values([
      person(F.personA1, 1, F.districtA, F.streetA1, F.committeeA1, F.buildingA1, '张伟', {
        floor: 3,
        workplace_org_id: F.workplaceA,
        occupation: 'delivery',
      }),
      person(F.personA2, 1, F.districtA, F.streetA1, F.committeeA1, F.buildingA1, '王芳', { floor: 3 }),
      person(F.personA3, 2, F.districtA, F.streetA1, F.committeeA1, F.buildingA1, '李秀英', {
        floor: 4,
        birth_year: 1940,
        vulnerable: 'elderly_alone',
      }),
      person(F.personB1, 3, F.districtB, F.streetB1, F.committeeB1, F.buildingB1, '刘洋', { floor: 5 }),
      person(F.personB2, 3, F.districtB, F.streetB1, F.committeeB1, F.buildingB1, '陈静', { floor: 5 }),
    ])
    .execute();
  await ctx.regions.reload(db);
}
