/**
 * The simulated city in memory: every resident with the groups they mix in — household, building
 * (楼栋), compound (小区), workplace, street, district — as flat typed arrays indexed 0…n-1, plus
 * the response's fixtures (sampling sites, labs, facilities, transport teams). Built once from
 * registry records (the synthetic city or the database); the epidemic model never touches a
 * database. Typed arrays keep a full-scale city (25 M people) in a few hundred MB.
 */
import { KEY_INDUSTRIES } from '../registry/vocabulary.ts';

export interface SimPersonRecord {
  id: number;
  districtId: number;
  streetId: number;
  householdId: number | null;
  /** Home place: a building, or a care home. */
  placeId: number | null;
  floor: number | null;
  workplaceOrgId: number | null;
  occupation: string | null;
  birthYear: number | null;
}

export interface SimPlaceRecord {
  id: number;
  kind: string;
  districtId: number;
  streetId: number;
  parentPlaceId: number | null;
}

export interface SimSiteRecord {
  id: number;
  organisationId: number;
  districtId: number;
  streetId: number;
  kind: 'fixed' | 'mobile' | 'door_to_door';
  hourlyCapacity: number;
}

export interface SimOrganisationRecord {
  id: number;
  kind: string;
  districtId: number;
  sector: string | null;
  dailyCapacity: number | null;
}

export interface SimFacilityRecord {
  id: number;
  organisationId: number;
  districtId: number;
  kind: string;
  beds: number;
}

/** What the model needs from the registry; ids are the registry's. */
export interface CityRecords {
  cityId: number;
  /** Calendar year ages are counted in. */
  referenceYear: number;
  districts: { id: number; code: string; name: string; population: number }[];
  people: SimPersonRecord[];
  places: SimPlaceRecord[];
  sites: SimSiteRecord[];
  organisations: SimOrganisationRecord[];
  facilities: SimFacilityRecord[];
}

/** Members of numbered groups, compressed: group g's members are `members[start[g]…start[g+1])`. */
export interface Groups {
  start: Int32Array;
  members: Int32Array;
}

const KEY = new Set<string>(KEY_INDUSTRIES);
/** ../domain/screening/pooling.ts DEFAULT_GROUP_OVERRIDES: single tube for these occupations. */
const SINGLE_TUBE = new Set(['delivery', 'courier', 'logistics']);

export class Population {
  readonly size: number;
  readonly personIds: Int32Array;
  readonly district: Int32Array;
  readonly street: Int32Array;
  readonly household: Int32Array;
  readonly building: Int32Array;
  readonly compound: Int32Array;
  readonly floor: Int16Array;
  readonly workplace: Int32Array;
  readonly age: Uint8Array;
  /**
   * 1 when the person works in a key industry (重点行业), who keep working under lockdown; 2 for
   * couriers and delivery riders, whom the pooling rules put in single tubes.
   */
  readonly keyWorker: Uint8Array;
  readonly households: Groups;
  readonly buildings: Groups;
  readonly compounds: Groups;
  readonly workplaces: Groups;
  readonly districts: Groups;
  /** Registry id of each building / compound / street / workplace index. */
  readonly buildingIds: number[];
  readonly compoundIds: number[];
  readonly streetIds: number[];
  readonly workplaceIds: number[];
  /** District index of each compound. */
  readonly compoundDistrict: Int32Array;
  /** Venues (场所) by district index: registry place ids. */
  readonly venuesByDistrict: number[][];
  private readonly indexById: Map<number, number>;

  constructor(readonly city: CityRecords) {
    const people = [...city.people].sort((a, b) => a.id - b.id);
    const n = people.length;
    this.size = n;
    this.personIds = Int32Array.from(people, (p) => p.id);
    this.indexById = new Map(people.map((p, i) => [p.id, i]));
    const districtIndex = new Map(city.districts.map((d, i) => [d.id, i]));
    const placeById = new Map(city.places.map((p) => [p.id, p]));
    const dense = () => {
      const ids: number[] = [];
      const map = new Map<number, number>();
      return {
        ids,
        of: (id: number) => map.get(id) ?? (map.set(id, ids.length), ids.push(id), ids.length - 1),
      };
    };
    const hh = dense();
    const bl = dense();
    const cp = dense();
    const st = dense();
    const wp = dense();
    this.district = new Int32Array(n);
    this.street = new Int32Array(n);
    this.household = new Int32Array(n);
    this.building = new Int32Array(n);
    this.compound = new Int32Array(n);
    this.floor = new Int16Array(n);
    this.workplace = new Int32Array(n);
    this.age = new Uint8Array(n);
    this.keyWorker = new Uint8Array(n);
    people.forEach((p, i) => {
      this.district[i] = districtIndex.get(p.districtId) ?? 0;
      this.street[i] = st.of(p.streetId);
      // Someone without a household still lives alone somewhere: a household of their own.
      this.household[i] = hh.of(p.householdId ?? -p.id);
      const home = p.placeId != null ? placeById.get(p.placeId) : undefined;
      const buildingId = home?.id ?? -p.id;
      this.building[i] = bl.of(buildingId);
      // A building's compound is its parent; a care home or a lone building is its own compound.
      this.compound[i] = cp.of(home?.parentPlaceId ?? buildingId);
      this.floor[i] = p.floor ?? 0;
      this.workplace[i] = p.workplaceOrgId != null ? wp.of(p.workplaceOrgId) : -1;
      this.age[i] = p.birthYear != null ? Math.max(0, Math.min(110, city.referenceYear - p.birthYear)) : 40;
      this.keyWorker[i] =
        p.occupation == null ? 0 : SINGLE_TUBE.has(p.occupation) ? 2 : KEY.has(p.occupation) ? 1 : 0;
    });
    this.buildingIds = bl.ids;
    this.compoundIds = cp.ids;
    this.streetIds = st.ids;
    this.workplaceIds = wp.ids;
    this.households = group(this.household, hh.ids.length);
    this.buildings = group(this.building, bl.ids.length);
    this.compounds = group(this.compound, cp.ids.length);
    this.workplaces = group(this.workplace, wp.ids.length);
    this.districts = group(this.district, city.districts.length);
    this.compoundDistrict = new Int32Array(cp.ids.length);
    for (let i = 0; i < n; i++) this.compoundDistrict[this.compound[i]] = this.district[i];
    this.venuesByDistrict = city.districts.map(() => []);
    for (const place of city.places) {
      if (place.kind !== 'venue' && place.kind !== 'market') continue;
      const d = districtIndex.get(place.districtId);
      if (d != null) this.venuesByDistrict[d].push(place.id);
    }
  }

  indexOf(personId: number): number | undefined {
    return this.indexById.get(personId);
  }

  /** The members of group `g`, as a view (no copy). */
  static membersOf(groups: Groups, g: number): Int32Array {
    return groups.members.subarray(groups.start[g], groups.start[g + 1]);
  }

  districtCount(): number {
    return this.city.districts.length;
  }
}

/** Counting sort of people by their group: O(n), no per-group arrays. */
function group(of: Int32Array, count: number): Groups {
  const start = new Int32Array(count + 1);
  for (const g of of) if (g >= 0) start[g + 1]++;
  for (let g = 0; g < count; g++) start[g + 1] += start[g];
  const fill = start.slice(0, count);
  const members = new Int32Array(start[count]);
  for (let i = 0; i < of.length; i++) if (of[i] >= 0) members[fill[of[i]]++] = i;
  return { start, members };
}
