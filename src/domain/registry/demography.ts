/**
 * Who lives in a synthetic household: sizes, ages, sexes, work and vulnerability, tuned to
 * Shanghai's 2020 census (mean household 2.32 people; 23.4% aged 60+, 16.3% 65+, 9.8% 0–14;
 * sex ratio 107) and to plausible rates for the vulnerable groups and key industries.
 */
import { Random, WeightedTable } from '../random.ts';
import type { KeyIndustry, VulnerableFlag } from './vocabulary.ts';

/** Household sizes 1…6 (6 stands for 6+); mean ≈ 2.32. */
export const HOUSEHOLD_SIZES = new WeightedTable([1, 2, 3, 4, 5, 6], [0.31, 0.31, 0.22, 0.09, 0.05, 0.02]);

type Role = 'elder' | 'adult' | 'child';

/** Household make-ups by size, with weights; tuned so that the city's ages match the census. */
const TEMPLATES: Record<number, WeightedTable<Role[]>> = {
  1: new WeightedTable<Role[]>([['elder'], ['adult']], [0.18, 0.82]),
  2: new WeightedTable<Role[]>(
    [
      ['elder', 'elder'],
      ['adult', 'adult'],
      ['adult', 'child'],
      ['elder', 'adult'],
    ],
    [0.33, 0.47, 0.08, 0.12],
  ),
  3: new WeightedTable<Role[]>(
    [
      ['adult', 'adult', 'child'],
      ['adult', 'adult', 'adult'],
      ['elder', 'elder', 'adult'],
      ['elder', 'adult', 'adult'],
    ],
    [0.6, 0.2, 0.1, 0.1],
  ),
  4: new WeightedTable<Role[]>(
    [
      ['adult', 'adult', 'child', 'child'],
      ['elder', 'adult', 'adult', 'child'],
      ['adult', 'adult', 'adult', 'adult'],
    ],
    [0.3, 0.5, 0.2],
  ),
  5: new WeightedTable<Role[]>(
    [
      ['elder', 'elder', 'adult', 'adult', 'child'],
      ['elder', 'adult', 'adult', 'adult', 'child'],
    ],
    [0.7, 0.3],
  ),
  6: new WeightedTable<Role[]>([['elder', 'elder', 'adult', 'adult', 'child', 'child']], [1]),
};

/** Five-year age bands (lower bound) and their census shares, per role. */
const BANDS = {
  child: new WeightedTable([0, 5, 10, 15, 20], [3.2, 3.6, 3.0, 2.8, 2.2]),
  adult: new WeightedTable([20, 25, 30, 35, 40, 45, 50, 55], [3.0, 7.8, 10.4, 9.0, 7.4, 7.0, 7.3, 7.6]),
  /** Adults who live with their children are mostly between 25 and 55. */
  parent: new WeightedTable([25, 30, 35, 40, 45, 50], [5, 10.4, 9.0, 7.4, 7.0, 4]),
  elder: new WeightedTable([60, 65, 70, 75, 80, 85, 90], [7.8, 7.1, 4.3, 2.4, 1.7, 1.1, 0.5]),
  careHome: new WeightedTable([70, 75, 80, 85, 90, 95], [1, 2, 3, 3, 2, 1]),
};

export interface Member {
  age: number;
  sex: 'M' | 'F';
}

function ageIn(band: WeightedTable<number>, random: Random): number {
  return band.draw(random) + random.int(0, 4);
}

/**
 * The members of one household of `size` people. Couples are a man and a woman; parents are
 * at least 20 years older than their eldest child; elders alone are more often women (they
 * outlive men).
 */
export function householdMembers(size: number, random: Random): Member[] {
  const roles = TEMPLATES[Math.min(6, Math.max(1, size))].draw(random);
  const childAges = roles.filter((r) => r === 'child').map(() => ageIn(BANDS.child, random));
  const eldestChild = childAges.length ? Math.max(...childAges) : -1;
  const members: Member[] = [];
  let adultsSeen = 0;
  let eldersSeen = 0;
  let childrenSeen = 0;
  for (const role of roles) {
    if (role === 'elder') {
      const sex: 'M' | 'F' =
        roles.length === 1 ? (random.chance(0.65) ? 'F' : 'M') : eldersSeen === 0 ? 'M' : 'F';
      members.push({ age: ageIn(BANDS.elder, random), sex });
      eldersSeen++;
    } else if (role === 'adult') {
      const sex: 'M' | 'F' =
        roles.length === 1 ? (random.chance(0.58) ? 'M' : 'F') : adultsSeen === 0 ? 'M' : 'F';
      let age = ageIn(eldestChild >= 0 ? BANDS.parent : BANDS.adult, random);
      if (eldestChild >= 0) age = Math.min(59, Math.max(age, eldestChild + 20 + random.int(0, 8)));
      members.push({ age, sex });
      adultsSeen++;
    } else {
      members.push({ age: childAges[childrenSeen++], sex: random.chance(0.52) ? 'M' : 'F' });
    }
  }
  return members;
}

/** A care home (养老院) resident: old, more often a woman. */
export function careHomeResident(random: Random): Member {
  return { age: ageIn(BANDS.careHome, random), sex: random.chance(0.64) ? 'F' : 'M' };
}

/** Key-industry shares among workers (a few per cent in all), and everyone else. */
export const OCCUPATION_RATES: Record<KeyIndustry, number> = {
  delivery: 0.008,
  logistics: 0.006,
  supermarket: 0.007,
  construction: 0.012,
  care_home: 0.002,
  market: 0.004,
  medical: 0.012,
};
const OCCUPATIONS = new WeightedTable<KeyIndustry | null>(
  [...(Object.keys(OCCUPATION_RATES) as KeyIndustry[]), null],
  [...Object.values(OCCUPATION_RATES), 1 - Object.values(OCCUPATION_RATES).reduce((s, x) => s + x, 0)],
);

/** The share of all residents who work; used to size workplaces before people exist. */
export const EXPECTED_WORKER_SHARE = 0.53;

export function isWorker(age: number, random: Random): boolean {
  if (age >= 20 && age < 60) return random.chance(0.8);
  if (age >= 60 && age < 65) return random.chance(0.25);
  if (age >= 18 && age < 20) return random.chance(0.2);
  return false;
}

/** null means a general (not key-industry) job. */
export function occupation(random: Random): KeyIndustry | null {
  return OCCUPATIONS.draw(random);
}

/** Vulnerable-group flags at plausible rates for the age and living situation. */
export function vulnerableFlags(member: Member, livesAlone: boolean, random: Random): VulnerableFlag[] {
  const flags: VulnerableFlag[] = [];
  const { age, sex } = member;
  if (age >= 60 && livesAlone) flags.push('elderly_alone');
  if (random.chance(age >= 60 ? 0.002 : age >= 40 ? 0.0008 : 0.0001)) flags.push('dialysis');
  if (sex === 'F' && age >= 20 && age <= 42 && random.chance(0.025)) flags.push('pregnancy');
  if (random.chance(age >= 60 ? 0.35 : age >= 40 ? 0.1 : 0.01)) flags.push('chronic');
  if (random.chance(age >= 60 ? 0.05 : 0.015)) flags.push('disability');
  return flags;
}
