/**
 * One synthetic resident: name, birth year and date, sex, phone, a valid national id number
 * (hashed before storage, by the caller), an opaque reference, work and vulnerable flags.
 */
import { Random, WeightedTable } from '../random.ts';
import type { CityPlan, CommitteePlan, DistrictPlan, StreetPlan } from './city-plan.ts';
import { isWorker, occupation, vulnerableFlags, type Member } from './demography.ts';
import type { CityFixtures } from './fixtures.ts';
import { givenName, phoneNumber, surname } from './names.ts';
import { makeNationalId } from './national-id.ts';
import type { IdCounters, PersonRecord } from './records.ts';

const B64 = Uint8Array.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', (c) =>
  c.charCodeAt(0),
);

/** What generating one district needs, and the counters it advances. */
export interface DistrictContext {
  plan: CityPlan;
  district: DistrictPlan;
  fixtures: CityFixtures;
  ids: IdCounters;
  random: Random;
  /** Where commuters work: districts weighted by population. */
  workDistricts: WeightedTable<number>;
  /** National-id sequence numbers already used, per birth date and sex (key yyyymmdd·2 + sex). */
  idSequences: Map<number, number>;
  /** Each street's roads and the last lane (弄) number used on each, so addresses are unique. */
  roads: Map<number, { name: string; lane: number }[]>;
}

export interface Residence {
  householdId: number | null;
  placeId: number | null;
  floor: number | null;
  livesAlone: boolean;
  /** A phone to reuse (a child's guardian), or null to make one. */
  phone: string | null;
  familyName?: string;
}

export function makePerson(
  ctx: DistrictContext,
  street: StreetPlan,
  committee: CommitteePlan,
  member: Member,
  home: Residence,
): PersonRecord {
  const r = ctx.random;
  const birthYear = ctx.plan.referenceYear - member.age - (r.chance(0.5) ? 1 : 0);
  const month = r.int(1, 12);
  const day = r.int(1, 28);
  const dateNumber = birthYear * 10000 + month * 100 + day;
  const birthDate = String(dateNumber);
  const key = dateNumber * 2 + (member.sex === 'M' ? 1 : 0);
  const sequence = ctx.idSequences.get(key) ?? r.int(0, 99);
  ctx.idSequences.set(key, sequence + 1);
  let occupationCode: string | null = null;
  let workplaceOrgId: number | null = null;
  if (isWorker(member.age, r)) {
    occupationCode = occupation(r);
    const districtIndex = r.chance(0.8) ? ctx.district.index : ctx.workDistricts.draw(r);
    const orgs = ctx.fixtures.workplaces[districtIndex][occupationCode ?? 'enterprise'];
    workplaceOrgId = orgs[Math.floor(r.float() * orgs.length)];
  }
  const flags = vulnerableFlags(member, home.livesAlone, r);
  return {
    id: ctx.ids.person++,
    districtId: ctx.district.id,
    streetId: street.id,
    committeeId: committee.id,
    householdId: home.householdId,
    placeId: home.placeId,
    ref: opaqueRef(r),
    nationalId: makeNationalId(ctx.district.code, birthDate, sequence, member.sex),
    name: (home.familyName ?? surname(r)) + givenName(r, member.sex),
    phone: home.phone ?? phoneNumber(r),
    birthYear,
    sex: member.sex,
    floor: home.floor,
    workplaceOrgId,
    occupation: occupationCode,
    vulnerable: flags.length === 0 ? '' : flags.join(','),
  };
}

/** 16 base64url characters (96 bits): unique per district with overwhelming probability. */
function opaqueRef(r: Random): string {
  const a = r.uint32();
  const b = r.uint32();
  const c = r.uint32();
  const d = r.uint32();
  // One flat string in one call: this runs 25 M times for a full city.
  return String.fromCharCode(
    B64[a & 63],
    B64[(a >>> 6) & 63],
    B64[(a >>> 12) & 63],
    B64[(a >>> 18) & 63],
    B64[b & 63],
    B64[(b >>> 6) & 63],
    B64[(b >>> 12) & 63],
    B64[(b >>> 18) & 63],
    B64[c & 63],
    B64[(c >>> 6) & 63],
    B64[(c >>> 12) & 63],
    B64[(c >>> 18) & 63],
    B64[d & 63],
    B64[(d >>> 6) & 63],
    B64[(d >>> 12) & 63],
    B64[(d >>> 18) & 63],
  );
}
