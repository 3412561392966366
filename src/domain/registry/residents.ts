/**
 * The homes and people of one district, committee by committee: compounds (小区) of realistic
 * size, buildings of 6–33 floors inside them, households on floors, people in households — and
 * the care-home residents. A generator, so a whole city streams through bounded memory.
 */
import { Random, WeightedTable } from '../random.ts';
import {
  randomPointInStreet,
  type CityPlan,
  type CommitteePlan,
  type DistrictPlan,
  type StreetPlan,
} from './city-plan.ts';
import { containsPoint } from './geometry.ts';
import { careHomeResident, HOUSEHOLD_SIZES, householdMembers, type Member } from './demography.ts';
import type { CityFixtures } from './fixtures.ts';
import { compoundName, roadName, surname } from './names.ts';
import { makePerson, type DistrictContext } from './person-maker.ts';
import type { CityChunk, HouseholdRecord, IdCounters, PersonRecord, PlaceRecord } from './records.ts';

/** Building types: [min floors, max floors, min households a floor, max households a floor]. */
const BUILDING_TYPES = new WeightedTable<[number, number, number, number]>(
  [
    [6, 7, 2, 6],
    [8, 12, 4, 6],
    [14, 18, 4, 8],
    [20, 33, 4, 8],
  ],
  [0.4, 0.2, 0.25, 0.15],
);

export function* districtResidents(
  plan: CityPlan,
  district: DistrictPlan,
  fixtures: CityFixtures,
  ids: IdCounters,
  random: Random,
): Generator<CityChunk> {
  const ctx: DistrictContext = {
    plan,
    district,
    fixtures,
    ids,
    random,
    workDistricts: new WeightedTable(
      plan.districts.map((d) => d.index),
      plan.districts.map((d) => d.population + 1),
    ),
    idSequences: new Map(),
    roads: new Map(),
  };
  for (const street of district.streets) {
    for (const committee of street.committees) yield committeeResidents(ctx, street, committee);
  }
}

function committeeResidents(
  ctx: DistrictContext,
  street: StreetPlan,
  committee: CommitteePlan,
): Required<Pick<CityChunk, 'places' | 'households' | 'people'>> {
  const out = {
    places: [] as PlaceRecord[],
    households: [] as HouseholdRecord[],
    people: [] as PersonRecord[],
  };
  const r = ctx.random;
  let remaining = committee.population;
  for (const home of ctx.fixtures.careHomes[committee.id] ?? []) {
    for (let i = 0; i < home.residents; i++) {
      out.people.push(
        makePerson(ctx, street, committee, careHomeResident(r), {
          householdId: null,
          placeId: home.placeId,
          floor: null,
          livesAlone: false,
          phone: null,
        }),
      );
    }
    remaining -= home.residents;
  }
  while (remaining > 0) {
    // Compounds hold a few hundred to a few thousand people; a small remainder joins the last one.
    let size = Math.round(Math.min(5000, Math.max(150, r.logNormal(1200, 0.6))));
    if (remaining - size < 150) size = remaining;
    remaining -= size;
    addCompound(ctx, street, committee, size, out);
  }
  return out;
}

function addCompound(
  ctx: DistrictContext,
  street: StreetPlan,
  committee: CommitteePlan,
  residents: number,
  out: ReturnType<typeof committeeResidents>,
): void {
  const r = ctx.random;
  const [lng, lat] = randomPointInStreet(street, r);
  // Addresses are unique within a street (imports find a home by its address there).
  let roads = ctx.roads.get(street.id);
  if (!roads) {
    ctx.roads.set(
      street.id,
      (roads = Array.from({ length: r.int(3, 6) }, () => ({ name: roadName(r), lane: 0 }))),
    );
  }
  const onRoad = r.pick(roads);
  onRoad.lane += r.int(1, 30);
  const [road, lane] = [onRoad.name, onRoad.lane];
  const compound: PlaceRecord = {
    id: ctx.ids.place++,
    districtId: ctx.district.id,
    streetId: street.id,
    committeeId: committee.id,
    kind: 'compound',
    name: compoundName(r),
    parentPlaceId: null,
    floors: null,
    address: `${road}${lane}弄`,
    lng,
    lat,
  };
  out.places.push(compound);
  let building: PlaceRecord | null = null;
  const slots: [number, number][] = [];
  let buildingNo = 0;
  let left = residents;
  while (left > 0) {
    if (slots.length === 0) {
      const [minF, maxF, minH, maxH] = BUILDING_TYPES.draw(r);
      const floors = r.int(minF, maxF);
      const perFloor = r.int(minH, maxH);
      buildingNo++;
      // Buildings stand within ~100 m of the compound's centre, inside the street.
      let bLng = Math.round((lng + r.between(-0.001, 0.001)) * 1e6) / 1e6;
      let bLat = Math.round((lat + r.between(-0.0008, 0.0008)) * 1e6) / 1e6;
      if (!containsPoint(street.geometry, bLng, bLat)) [bLng, bLat] = [lng, lat];
      building = {
        id: ctx.ids.place++,
        districtId: ctx.district.id,
        streetId: street.id,
        committeeId: committee.id,
        kind: 'building',
        name: `${compound.name}${buildingNo}号楼`,
        parentPlaceId: compound.id,
        floors,
        address: `${road}${lane}弄${buildingNo}号`,
        lng: bLng,
        lat: bLat,
      };
      out.places.push(building);
      // Most flats are occupied; fill from the top so the list pops floor 1 first.
      for (let f = floors; f >= 1; f--) {
        for (let k = perFloor; k >= 1; k--) if (r.chance(0.92)) slots.push([f, k]);
      }
      if (slots.length === 0) slots.push([1, 1]);
    }
    const [floor, flat] = slots.pop()!;
    const size = Math.min(left, HOUSEHOLD_SIZES.draw(r));
    left -= size;
    const household: HouseholdRecord = {
      id: ctx.ids.household++,
      districtId: ctx.district.id,
      streetId: street.id,
      committeeId: committee.id,
      placeId: building!.id,
      floor,
      room: `${floor}${String(flat).padStart(2, '0')}`,
    };
    out.households.push(household);
    addMembers(ctx, street, committee, household, householdMembers(size, r), out.people);
  }
}

function addMembers(
  ctx: DistrictContext,
  street: StreetPlan,
  committee: CommitteePlan,
  household: HouseholdRecord,
  members: Member[],
  people: PersonRecord[],
): void {
  const r = ctx.random;
  const familyName = surname(r);
  let guardianPhone: string | null = null;
  members.forEach((member, i) => {
    // The first member passes the family name to the children; a spouse keeps their own.
    const ownName = i === 0 || member.age < 25 ? familyName : surname(r);
    const phone = member.age < 14 && guardianPhone ? guardianPhone : null;
    const p = makePerson(ctx, street, committee, member, {
      householdId: household.id,
      placeId: household.placeId,
      floor: household.floor,
      livesAlone: members.length === 1,
      phone,
      familyName: ownName,
    });
    if (guardianPhone === null && member.age >= 18) guardianPhone = p.phone;
    people.push(p);
  });
}
