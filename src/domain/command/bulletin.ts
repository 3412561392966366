import type { CalendarDay } from '../time/calendar.ts';

/**
 * The daily bulletin (权威信息发布, SPEC capability 11): one calendar day's official figures by
 * district and the residential places where that day's new cases live — place level only. Nothing
 * in it refers to a person: the inputs are counts and places, and composition keeps it so.
 */
export interface ZoneCounts {
  sealed: number;
  controlled: number;
  precaution: number;
}

export interface BulletinFigures {
  /** New positives confirmed (reported) on the day: inside closed-loop control + in the community. */
  newPositives: number;
  insideControl: number;
  community: number;
  discharged: number;
  deaths: number;
  /** Places by zone level at the end of the day. */
  zones: ZoneCounts;
}

/** A residential place (a compound, or a building outside any compound): its name and street address. */
export interface BulletinPlace {
  name: string;
  address: string;
}

export interface BulletinDistrict extends BulletinFigures {
  regionId: number;
  name: string;
  nameEn: string;
  places: BulletinPlace[];
}

export interface Bulletin {
  day: CalendarDay;
  issuedAt: number;
  timeZone: string;
  /** name@version of the rule set whose classification (inside control / community) the figures use. */
  ruleSet: string;
  region: { id: number; name: string; nameEn: string };
  totals: BulletinFigures;
  districts: BulletinDistrict[];
}

/** What the stores report for one day, per district (districts without a row count as zero). */
export interface BulletinInput {
  day: CalendarDay;
  issuedAt: number;
  timeZone: string;
  ruleSet: string;
  city: { id: number; name: string; nameEn: string };
  districts: readonly { id: number; name: string; nameEn: string }[];
  newCases: readonly { districtId: number; classification: 'inside_control' | 'community'; n: number }[];
  ended: readonly { districtId: number; outcome: 'discharged' | 'died'; n: number }[];
  zones: readonly { districtId: number; level: string; n: number }[];
  places: readonly { districtId: number; name: string; address: string }[];
}

const ZERO: BulletinFigures = {
  newPositives: 0,
  insideControl: 0,
  community: 0,
  discharged: 0,
  deaths: 0,
  zones: { sealed: 0, controlled: 0, precaution: 0 },
};

function emptyFigures(): BulletinFigures {
  return { ...ZERO, zones: { ...ZERO.zones } };
}

function add(into: BulletinFigures, from: BulletinFigures): void {
  into.newPositives += from.newPositives;
  into.insideControl += from.insideControl;
  into.community += from.community;
  into.discharged += from.discharged;
  into.deaths += from.deaths;
  into.zones.sealed += from.zones.sealed;
  into.zones.controlled += from.zones.controlled;
  into.zones.precaution += from.zones.precaution;
}

/** Every district of the city in registry order, its places sorted and each listed once, and the city's totals. */
export function composeBulletin(input: BulletinInput): Bulletin {
  const figures = new Map(input.districts.map((d) => [d.id, emptyFigures()]));
  for (const c of input.newCases) {
    const f = figures.get(c.districtId);
    if (!f) continue;
    if (c.classification === 'community') f.community += c.n;
    else f.insideControl += c.n;
    f.newPositives += c.n;
  }
  for (const e of input.ended) {
    const f = figures.get(e.districtId);
    if (!f) continue;
    if (e.outcome === 'died') f.deaths += e.n;
    else f.discharged += e.n;
  }
  for (const z of input.zones) {
    const f = figures.get(z.districtId);
    if (f && (z.level === 'sealed' || z.level === 'controlled' || z.level === 'precaution')) {
      f.zones[z.level] += z.n;
    }
  }
  const places = new Map<number, Map<string, BulletinPlace>>();
  for (const p of input.places) {
    const list = places.get(p.districtId) ?? new Map<string, BulletinPlace>();
    list.set(`${p.name}\u0000${p.address}`, { name: p.name, address: p.address });
    places.set(p.districtId, list);
  }
  const totals = emptyFigures();
  const districts = input.districts.map((d) => {
    const f = figures.get(d.id)!;
    add(totals, f);
    const listed = [...(places.get(d.id)?.values() ?? [])].sort(
      (a, b) => a.address.localeCompare(b.address, 'zh-CN') || a.name.localeCompare(b.name, 'zh-CN'),
    );
    return { regionId: d.id, name: d.name, nameEn: d.nameEn, ...f, places: listed };
  });
  return {
    day: input.day,
    issuedAt: input.issuedAt,
    timeZone: input.timeZone,
    ruleSet: input.ruleSet,
    region: input.city,
    totals,
    districts,
  };
}

/**
 * The instant a day's bulletin is due: the end of the day plus a settling time, so that results
 * posted in the day's last minutes have become cases (the cases capability turns them into cases
 * from the event stream, seconds later) before the figures are frozen.
 */
export const BULLETIN_SETTLE_MS = 10 * 60_000;

export function bulletinDueAt(endOfDay: number): number {
  return endOfDay + BULLETIN_SETTLE_MS;
}
