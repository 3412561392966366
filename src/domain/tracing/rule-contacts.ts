import type { ContactsSection } from '../rules/schema.ts';
import type { ContactDegree, ExposureKind } from './types.ts';

/** What the registry says about where a person lives. */
export interface Resident {
  personId: number;
  districtId: number;
  streetId: number;
  householdId: number | null;
  /** Residence building. */
  placeId: number | null;
  floor: number | null;
}

export interface RuleContact {
  personId: number;
  districtId: number;
  streetId: number;
  degree: ContactDegree;
  kind: Extract<ExposureKind, 'household' | 'floor'>;
  /** Where the exposure was: the shared residence building. */
  placeId: number | null;
}

/**
 * The contacts a case gets by rule, before any interview (../SPEC "Contacts"): household members
 * are close contacts; under home lockdown, people on the same floor and `floorRadiusUnderLockdown`
 * floors above and below in the same building are contacts of contacts. A rule that the active set
 * switches off (householdIsClose false, radius null) adds nobody.
 *
 * `neighbours` may be any superset (the whole building, the household): this function decides.
 * A person in the household is never also a floor contact, and the case is never its own contact.
 * Someone whose floor is unknown is not guessed onto a floor.
 */
export function ruleContactsForCase(
  index: Resident,
  neighbours: readonly Resident[],
  rules: Pick<ContactsSection, 'householdIsClose' | 'floorRadiusUnderLockdown'>,
): RuleContact[] {
  const out: RuleContact[] = [];
  const seen = new Set<number>([index.personId]);
  const radius = rules.floorRadiusUnderLockdown;
  for (const n of neighbours) {
    if (seen.has(n.personId)) continue;
    const sameHousehold = index.householdId != null && n.householdId === index.householdId;
    if (sameHousehold) {
      if (!rules.householdIsClose) continue;
      seen.add(n.personId);
      out.push(contact(n, 'close', 'household', index.placeId));
      continue;
    }
    if (radius == null || index.placeId == null || index.floor == null || n.floor == null) continue;
    if (n.placeId !== index.placeId || Math.abs(n.floor - index.floor) > radius) continue;
    seen.add(n.personId);
    out.push(contact(n, 'secondary', 'floor', index.placeId));
  }
  return out;
}

function contact(
  n: Resident,
  degree: ContactDegree,
  kind: RuleContact['kind'],
  placeId: number | null,
): RuleContact {
  return { personId: n.personId, districtId: n.districtId, streetId: n.streetId, degree, kind, placeId };
}

/**
 * When a person is already someone's contact and another exposure names them again, the closer
 * degree wins: a close contact never steps down to secondary because a later rule also saw them.
 */
export function closerDegree(a: ContactDegree, b: ContactDegree): ContactDegree {
  return a === 'close' || b === 'close' ? 'close' : 'secondary';
}
