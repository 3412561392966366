/**
 * Registry records as the domain produces them (synthetic city, CSV import), before storage
 * shapes them into rows. Ids are assigned by Cordon, not by the database, so a generated city
 * is the same on SQLite and PostgreSQL.
 */
import type { FacilityKind, PlaceKind, SamplingSiteKind } from './vocabulary.ts';

export interface PlaceRecord {
  id: number;
  districtId: number;
  streetId: number;
  committeeId: number | null;
  kind: PlaceKind;
  name: string;
  parentPlaceId: number | null;
  floors: number | null;
  address: string;
  lng: number | null;
  lat: number | null;
}

export type OrganisationKind = 'workplace' | 'lab' | 'facility' | 'transport' | 'sampling' | 'care_home';

export interface OrganisationRecord {
  id: number;
  districtId: number;
  streetId: number | null;
  kind: OrganisationKind;
  name: string;
  placeId: number | null;
  sector: string | null;
  dailyCapacity: number | null;
}

export interface SamplingSiteRecord {
  id: number;
  districtId: number;
  streetId: number;
  organisationId: number;
  kind: SamplingSiteKind;
  name: string;
  hourlyCapacity: number;
  lng: number | null;
  lat: number | null;
}

export interface FacilityRecord {
  id: number;
  districtId: number;
  streetId: number | null;
  organisationId: number;
  kind: FacilityKind;
  name: string;
  staff: number;
  admits: readonly string[];
  lng: number | null;
  lat: number | null;
}

export interface FacilityBedRecord {
  facilityId: number;
  districtId: number;
  bedKind: string;
  total: number;
}

export interface HouseholdRecord {
  id: number;
  districtId: number;
  streetId: number;
  committeeId: number | null;
  placeId: number | null;
  floor: number | null;
  room: string | null;
}

export interface PersonRecord {
  id: number;
  districtId: number;
  streetId: number;
  committeeId: number | null;
  householdId: number | null;
  placeId: number | null;
  /** Opaque reference carried in the person's code. */
  ref: string;
  /**
   * The clear national id number. It exists only between the generator (or the CSV) and the
   * hashing step just before storage; it is never written anywhere.
   */
  nationalId: string | null;
  name: string | null;
  phone: string | null;
  birthYear: number | null;
  sex: 'M' | 'F' | null;
  floor: number | null;
  workplaceOrgId: number | null;
  occupation: string | null;
  /** Comma-separated vulnerable flags. */
  vulnerable: string;
}

/** Next id for each kind of record; advanced as records are made. */
export interface IdCounters {
  place: number;
  organisation: number;
  site: number;
  facility: number;
  household: number;
  person: number;
}

export function newIdCounters(): IdCounters {
  return { place: 1, organisation: 1, site: 1, facility: 1, household: 1, person: 1 };
}

/** A piece of a city, in the order it can be written. */
export interface CityChunk {
  places?: PlaceRecord[];
  organisations?: OrganisationRecord[];
  sites?: SamplingSiteRecord[];
  facilities?: FacilityRecord[];
  beds?: FacilityBedRecord[];
  households?: HouseholdRecord[];
  people?: PersonRecord[];
}
