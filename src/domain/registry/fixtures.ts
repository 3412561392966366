/**
 * Everything in a synthetic city that is not a home: workplaces (key industries and general
 * enterprises), care homes, schools, venues, labs, sampling sites, transport teams and
 * isolation / treatment facilities with beds — sized from the scaled population so that the
 * city-wide totals match the 2022 figures (4.5 M tubes a day, ~20,000 sampling points,
 * 160,000+ shelter beds) times the scale.
 */
import { Random, WeightedTable, apportion } from '../random.ts';
import { randomPointInStreet, type CityPlan, type DistrictPlan, type StreetPlan } from './city-plan.ts';
import { EXPECTED_WORKER_SHARE, OCCUPATION_RATES } from './demography.ts';
import { placeName, roadName, workplaceName } from './names.ts';
import type { CityChunk, IdCounters, OrganisationKind, PlaceRecord } from './records.ts';
import {
  addFacilities,
  addSites,
  CITY_TOTALS,
  type MakeOrganisation,
  type MakePlace,
} from './response-capacity.ts';
import { KEY_INDUSTRIES, type FacilityKind, type PlaceKind } from './vocabulary.ts';

/** Average staff of a workplace by sector; general enterprises under 'enterprise'. */
const AVERAGE_STAFF: Record<string, number> = {
  delivery: 30,
  logistics: 120,
  supermarket: 60,
  construction: 200,
  market: 40,
  medical: 300,
  enterprise: 80,
};
const SECTOR_PLACE: Record<string, PlaceKind> = {
  delivery: 'enterprise',
  logistics: 'enterprise',
  supermarket: 'market',
  construction: 'worksite',
  market: 'market',
  medical: 'enterprise',
  enterprise: 'enterprise',
};
export interface CareHomeSlot {
  placeId: number;
  organisationId: number;
  residents: number;
}

export interface CityFixtures extends Required<
  Pick<CityChunk, 'places' | 'organisations' | 'sites' | 'facilities' | 'beds'>
> {
  /** Per district index: sector ('enterprise' for general jobs) → workplace organisation ids. */
  workplaces: Record<string, number[]>[];
  /** Committee id → the care homes in it and how many people live there. */
  careHomes: Record<number, CareHomeSlot[]>;
}

export function cityFixtures(plan: CityPlan, random: Random, ids: IdCounters): CityFixtures {
  const out: CityFixtures = {
    places: [],
    organisations: [],
    sites: [],
    facilities: [],
    beds: [],
    workplaces: [],
    careHomes: {},
  };
  const S = plan.scale;
  const labCounts = plan.districts.map((d) => Math.max(1, Math.round(d.population / 100_000)));
  const labCapacities = apportion(
    Math.round(CITY_TOTALS.labTubesPerDay * S),
    Array.from({ length: labCounts.reduce((s, n) => s + n, 0) }, () => random.logNormal(1, 0.5)),
    1,
  );
  const allStreets = plan.districts.flatMap((d) => d.streets);
  const siteCounts = apportion(
    Math.round(CITY_TOTALS.samplingSites * S),
    allStreets.map((s) => s.population),
  ).map((n) => Math.max(1, n));
  const bedsByDistrict = Object.fromEntries(
    (Object.keys(CITY_TOTALS.bedsByFacility) as FacilityKind[]).map((k) => [
      k,
      apportion(
        Math.round(CITY_TOTALS.bedsByFacility[k] * S),
        plan.districts.map((d) => d.population),
        1,
      ),
    ]),
  ) as Record<FacilityKind, number[]>;

  let labIndex = 0;
  let streetIndex = 0;
  for (const district of plan.districts) {
    const r = random.fork(district.code);
    const streets = new WeightedTable(
      district.streets,
      district.streets.map((s) => s.population + 1),
    );
    const place = (
      kind: PlaceKind,
      name: string,
      street: StreetPlan,
      committeeId: number | null = null,
    ): PlaceRecord => {
      const [lng, lat] = randomPointInStreet(street, r);
      const record: PlaceRecord = {
        id: ids.place++,
        districtId: district.id,
        streetId: street.id,
        committeeId,
        kind,
        name,
        parentPlaceId: null,
        floors: null,
        address: `${roadName(r)}${r.int(1, 999)}号`,
        lng,
        lat,
      };
      out.places.push(record);
      return record;
    };
    const organisation = (
      kind: OrganisationKind,
      name: string,
      street: StreetPlan | null,
      placeId: number | null,
      sector: string | null,
      dailyCapacity: number | null = null,
    ): number => {
      const id = ids.organisation++;
      out.organisations.push({
        id,
        districtId: district.id,
        streetId: street?.id ?? null,
        kind,
        name,
        placeId,
        sector,
        dailyCapacity,
      });
      return id;
    };

    const workplaces: Record<string, number[]> = {
      care_home: addCareHomes(district, r, out, place, organisation),
    };
    const workers = district.population * EXPECTED_WORKER_SHARE;
    const keyShare = Object.values(OCCUPATION_RATES).reduce((s, x) => s + x, 0);
    for (const sector of [...KEY_INDUSTRIES.filter((k) => k !== 'care_home'), 'enterprise']) {
      const rate =
        sector === 'enterprise' ? 1 - keyShare : OCCUPATION_RATES[sector as keyof typeof OCCUPATION_RATES];
      const count = Math.max(1, Math.round((workers * rate) / AVERAGE_STAFF[sector]));
      const key = sector === 'enterprise' ? null : sector;
      workplaces[sector] = Array.from({ length: count }, () => {
        const street = streets.draw(r);
        const name = workplaceName(r, key);
        return organisation('workplace', name, street, place(SECTOR_PLACE[sector], name, street).id, key);
      });
    }
    out.workplaces.push(workplaces);

    for (let i = 0; i < labCounts[district.index]; i++) {
      const street = streets.draw(r);
      const name = `${placeName(r).zh}${r.pick(['医学检验实验室', '核酸检测基地', '医院检验科'])}`;
      organisation(
        'lab',
        name,
        street,
        place('enterprise', name, street).id,
        null,
        labCapacities[labIndex++],
      );
    }
    const teams = Math.max(1, Math.round(district.population / 250_000));
    for (const [sector, label] of [
      ['samples', '样本转运队'],
      ['transfer', '人员转运车队'],
    ] as const) {
      for (let i = 1; i <= teams; i++) {
        organisation('transport', `${district.name}${label}${i}`, null, null, sector, r.int(10, 40));
      }
    }
    for (let i = Math.max(1, Math.round(district.population / 8000)); i > 0; i--) {
      place('school', `${placeName(r).zh}${r.pick(['小学', '中学', '幼儿园', '实验学校'])}`, streets.draw(r));
    }
    for (let i = Math.max(1, Math.round(district.population / 3000)); i > 0; i--) {
      place(
        'venue',
        `${placeName(r).zh}${r.pick(['广场', '影城', '健身中心', '酒家', '商场', '图书馆'])}`,
        streets.draw(r),
      );
    }
    addFacilities(district, r, bedsByDistrict, streets, out, ids, place, organisation);
    for (const street of district.streets) {
      addSites(district, street, siteCounts[streetIndex++], r, out, ids, organisation);
    }
  }
  return out;
}
/** Care homes (养老院) and their residents, who are counted in their committee's population. */
function addCareHomes(
  district: DistrictPlan,
  r: Random,
  out: CityFixtures,
  place: MakePlace,
  organisation: MakeOrganisation,
): number[] {
  const residents = Math.round(district.population * CITY_TOTALS.careHomeResidentShare);
  const homes = Math.max(1, Math.round(residents / 140));
  const sizes = apportion(
    residents,
    Array.from({ length: homes }, () => r.logNormal(1, 0.5)),
  );
  const committees = district.streets.flatMap((s) => s.committees.map((c) => ({ street: s, committee: c })));
  const pick = new WeightedTable(
    committees,
    committees.map((c) => c.committee.population + 1),
  );
  const used = new Map<number, number>();
  return sizes.map((size) => {
    const { street, committee } = pick.draw(r);
    const taken = used.get(committee.id) ?? 0;
    const living = Math.max(0, Math.min(size, committee.population - taken));
    used.set(committee.id, taken + living);
    const name = workplaceName(r, 'care_home');
    const home = place('care_home', name, street, committee.id);
    const organisationId = organisation('care_home', name, street, home.id, 'care_home');
    (out.careHomes[committee.id] ??= []).push({ placeId: home.id, organisationId, residents: living });
    return organisationId;
  });
}
