/**
 * The response's capacity in a synthetic city: sampling sites (采样点) with hourly capacity,
 * and isolation / treatment facilities (隔离酒店, 健康驿站, 方舱, 定点医院) with beds, sized so
 * that the city-wide totals match the 2022 figures times the scale.
 */
import { Random, WeightedTable, apportion } from '../random.ts';
import { randomPointInStreet, type DistrictPlan, type StreetPlan } from './city-plan.ts';
import { placeName } from './names.ts';
import type {
  FacilityBedRecord,
  FacilityRecord,
  IdCounters,
  OrganisationKind,
  PlaceRecord,
  SamplingSiteRecord,
} from './records.ts';
import { FACILITY_ADMITS, type FacilityKind, type PlaceKind, type SamplingSiteKind } from './vocabulary.ts';

/** City totals at scale 1. */
export const CITY_TOTALS = {
  labTubesPerDay: 4_500_000,
  samplingSites: 20_000,
  bedsByFacility: {
    shelter_hospital: 160_000,
    quarantine_hotel: 60_000,
    observation_point: 40_000,
    designated_hospital: 12_000,
  } as Record<FacilityKind, number>,
  /** About 100,000 people live in Shanghai's ~730 care homes. */
  careHomeResidentShare: 0.0042,
};

const AVERAGE_FACILITY_BEDS: Record<FacilityKind, number> = {
  shelter_hospital: 3000,
  quarantine_hotel: 150,
  observation_point: 250,
  designated_hospital: 600,
};
const FACILITY_SUFFIX: Record<FacilityKind, string> = {
  shelter_hospital: '方舱医院',
  quarantine_hotel: '隔离酒店',
  observation_point: '健康驿站',
  designated_hospital: '定点医院',
};
const SITE_KINDS = new WeightedTable<SamplingSiteKind>(
  ['fixed', 'mobile', 'door_to_door'],
  [0.55, 0.25, 0.2],
);

export type MakePlace = (
  kind: PlaceKind,
  name: string,
  street: StreetPlan,
  committeeId?: number | null,
) => PlaceRecord;
export type MakeOrganisation = (
  kind: OrganisationKind,
  name: string,
  street: StreetPlan | null,
  placeId: number | null,
  sector: string | null,
  dailyCapacity?: number | null,
) => number;

/** Where the capacity records go. */
export interface CapacitySink {
  sites: SamplingSiteRecord[];
  facilities: FacilityRecord[];
  beds: FacilityBedRecord[];
}

export function addFacilities(
  district: DistrictPlan,
  r: Random,
  bedsByDistrict: Record<FacilityKind, number[]>,
  streets: WeightedTable<StreetPlan>,
  out: CapacitySink,
  ids: IdCounters,
  place: MakePlace,
  organisation: MakeOrganisation,
): void {
  for (const kind of Object.keys(bedsByDistrict) as FacilityKind[]) {
    const beds = bedsByDistrict[kind][district.index];
    const count = Math.max(1, Math.min(beds, Math.round(beds / AVERAGE_FACILITY_BEDS[kind])));
    const sizes = apportion(
      beds,
      Array.from({ length: count }, () => r.logNormal(1, 0.4)),
      1,
    );
    for (const total of sizes) {
      const street = streets.draw(r);
      const name = `${placeName(r).zh}${FACILITY_SUFFIX[kind]}`;
      const site = place('facility', name, street);
      const organisationId = organisation('facility', name, street, site.id, kind);
      const id = ids.facility++;
      const staff = Math.max(
        2,
        Math.ceil(total / (kind === 'designated_hospital' ? 2 : kind === 'shelter_hospital' ? 8 : 12)),
      );
      out.facilities.push({
        id,
        districtId: district.id,
        streetId: street.id,
        organisationId,
        kind,
        name,
        staff,
        admits: FACILITY_ADMITS[kind],
        lng: site.lng,
        lat: site.lat,
      });
      if (kind === 'designated_hospital') {
        const icu = Math.round(total * 0.08);
        out.beds.push({ facilityId: id, districtId: district.id, bedKind: 'ward', total: total - icu });
        if (icu > 0) out.beds.push({ facilityId: id, districtId: district.id, bedKind: 'icu', total: icu });
      } else {
        out.beds.push({ facilityId: id, districtId: district.id, bedKind: 'standard', total });
      }
    }
  }
}

/** Sampling sites (采样点) of a street, each run by its own sampling organisation. */
export function addSites(
  district: DistrictPlan,
  street: StreetPlan,
  count: number,
  r: Random,
  out: CapacitySink,
  ids: IdCounters,
  organisation: MakeOrganisation,
): void {
  for (let i = 1; i <= count; i++) {
    const kind = SITE_KINDS.draw(r);
    const label = kind === 'fixed' ? '固定采样点' : kind === 'mobile' ? '流动采样点' : '上门采样队';
    const name = `${street.name}${label}${i}`;
    const organisationId = organisation('sampling', name, street, null, null);
    const [lng, lat] = randomPointInStreet(street, r);
    out.sites.push({
      id: ids.site++,
      districtId: district.id,
      streetId: street.id,
      organisationId,
      kind,
      name,
      hourlyCapacity: r.int(30, 60) * 10,
      lng,
      lat,
    });
  }
}
