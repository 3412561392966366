/**
 * Registry records as positional rows for bulk loading (COPY / prepared statements): one
 * column list per table, declared once, and the mapping from domain records to rows. Pure, so
 * the seeding worker thread can shape rows before they cross to the writer.
 */
import type { PlannedRegion } from '../../domain/registry/city-plan.ts';
import type {
  FacilityBedRecord,
  FacilityRecord,
  HouseholdRecord,
  OrganisationRecord,
  PersonRecord,
  PlaceRecord,
  SamplingSiteRecord,
} from '../../domain/registry/records.ts';

export type Cell = string | number | null;
export type Row = Cell[];

export const BULK_COLUMNS = {
  regions: [
    'id',
    'parent_id',
    'level',
    'code',
    'name',
    'name_en',
    'district_id',
    'street_id',
    'population',
    'area_km2',
    'geometry',
    'lng',
    'lat',
  ],
  places: [
    'id',
    'district_id',
    'street_id',
    'committee_id',
    'kind',
    'name',
    'parent_place_id',
    'floors',
    'address',
    'lng',
    'lat',
  ],
  households: ['id', 'district_id', 'street_id', 'committee_id', 'place_id', 'floor', 'room'],
  people: [
    'id',
    'district_id',
    'street_id',
    'committee_id',
    'household_id',
    'place_id',
    'ref',
    'id_hash',
    'name',
    'phone',
    'birth_year',
    'sex',
    'floor',
    'workplace_org_id',
    'occupation',
    'vulnerable',
    'created_at',
    'last_activity_at',
    'purged_at',
  ],
  organisations: ['id', 'district_id', 'street_id', 'kind', 'name', 'place_id', 'sector', 'daily_capacity'],
  sampling_sites: [
    'id',
    'district_id',
    'street_id',
    'organisation_id',
    'kind',
    'name',
    'hourly_capacity',
    'lng',
    'lat',
  ],
  facilities: [
    'id',
    'district_id',
    'street_id',
    'organisation_id',
    'kind',
    'name',
    'staff',
    'admits',
    'lng',
    'lat',
  ],
  facility_beds: ['facility_id', 'district_id', 'bed_kind', 'total'],
} as const satisfies Record<string, readonly string[]>;

export type BulkTable = keyof typeof BULK_COLUMNS;

/**
 * Byte columns, carried in rows as lower-case hex and stored as bytes (blob / bytea; ADR 0009):
 * a hex string is cheap to build and to pass from the seeding worker to the writer, where a
 * Buffer per row would be cloned as a view over a copied buffer. The bulk writer converts.
 */
export const HEX_BYTES_COLUMNS: Partial<Record<BulkTable, readonly string[]>> = { people: ['id_hash'] };

/** Rows per table, in the order they should be written. */
export type RowBatch = Partial<Record<BulkTable, Row[]>>;

export const regionRow = (r: PlannedRegion): Row => [
  r.id,
  r.parentId,
  r.level,
  r.code,
  r.name,
  r.nameEn,
  r.districtId,
  r.streetId,
  r.population,
  r.areaKm2,
  r.geometry ? JSON.stringify(r.geometry) : null,
  r.lng,
  r.lat,
];

export const placeRow = (p: PlaceRecord): Row => [
  p.id,
  p.districtId,
  p.streetId,
  p.committeeId,
  p.kind,
  p.name,
  p.parentPlaceId,
  p.floors,
  p.address,
  p.lng,
  p.lat,
];

export const householdRow = (h: HouseholdRecord): Row => [
  h.id,
  h.districtId,
  h.streetId,
  h.committeeId,
  h.placeId,
  h.floor,
  h.room,
];

/** `idHash` (hex) replaces the clear national id, which never reaches a row. */
export const personRow = (p: PersonRecord, idHash: string | null, createdAt: number): Row => [
  p.id,
  p.districtId,
  p.streetId,
  p.committeeId,
  p.householdId,
  p.placeId,
  p.ref,
  idHash,
  p.name,
  p.phone,
  p.birthYear,
  p.sex,
  p.floor,
  p.workplaceOrgId,
  p.occupation,
  p.vulnerable,
  createdAt,
  null,
  null,
];

export const organisationRow = (o: OrganisationRecord): Row => [
  o.id,
  o.districtId,
  o.streetId,
  o.kind,
  o.name,
  o.placeId,
  o.sector,
  o.dailyCapacity,
];

export const siteRow = (s: SamplingSiteRecord): Row => [
  s.id,
  s.districtId,
  s.streetId,
  s.organisationId,
  s.kind,
  s.name,
  s.hourlyCapacity,
  s.lng,
  s.lat,
];

export const facilityRow = (f: FacilityRecord): Row => [
  f.id,
  f.districtId,
  f.streetId,
  f.organisationId,
  f.kind,
  f.name,
  f.staff,
  JSON.stringify(f.admits),
  f.lng,
  f.lat,
];

export const bedRow = (b: FacilityBedRecord): Row => [b.facilityId, b.districtId, b.bedKind, b.total];
