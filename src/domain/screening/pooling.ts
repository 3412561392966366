import type { ControlKind } from '../kernel/control-episodes.ts';
import type { PoolingSection } from '../rules/schema.ts';

/**
 * Which pooling applies to whom in a round (混管规则). The numbers come from the active rule set's
 * pooling section (single tube or one tube per household in sealed zones and quarantine sites,
 * 10-in-1 controlled, 20-in-1 elsewhere, 10-in-1 everywhere in a first round); the round adds
 * per-group overrides (single tube for couriers and delivery riders, door to door for people who
 * cannot move). Pure: the caller supplies the person's control kinds, occupation and flags.
 */
export type PoolingZone = keyof PoolingSection['byZone'];

export type SamplingMethod = 'single_tube' | 'door_to_door';

export interface GroupOverride {
  /** Key-industry occupation codes (registry `people.occupation`) the override applies to. */
  occupations?: string[];
  /** Vulnerable-group flags (registry `people.vulnerable`) the override applies to. */
  vulnerable?: string[];
  method: SamplingMethod;
}

/** Couriers and delivery riders go in single tubes; people who cannot move are sampled at home. */
export const DEFAULT_GROUP_OVERRIDES: GroupOverride[] = [
  { occupations: ['delivery', 'courier', 'logistics'], method: 'single_tube' },
  { vulnerable: ['disability', 'bedridden'], method: 'door_to_door' },
];

/** A round's pooling, frozen at creation from the rule set so that a later rule change does not move it. */
export interface RoundPooling {
  ruleSet: string;
  firstRound: boolean;
  allowedSizes: number[];
  byZone: PoolingSection['byZone'];
  firstRoundSize: number;
  fullSamplingWithinHours: number;
  positivePool: PoolingSection['positivePool'];
  overrides: GroupOverride[];
}

export function roundPooling(
  ruleSet: string,
  section: PoolingSection,
  firstRound: boolean,
  overrides: GroupOverride[] = DEFAULT_GROUP_OVERRIDES,
): RoundPooling {
  return {
    ruleSet,
    firstRound,
    allowedSizes: [...section.allowedSizes],
    byZone: structuredClone(section.byZone),
    firstRoundSize: section.firstRoundSize,
    fullSamplingWithinHours: section.fullSamplingWithinHours,
    positivePool: { ...section.positivePool },
    overrides,
  };
}

/** The zone a person is sampled under, from their active control episodes (worst first). */
export function poolingZone(controlKinds: readonly ControlKind[]): PoolingZone {
  if (controlKinds.includes('sealed_residence')) return 'sealed';
  if (
    controlKinds.includes('quarantine') ||
    controlKinds.includes('pool_hold') ||
    controlKinds.includes('isolation')
  ) {
    return 'quarantine';
  }
  if (controlKinds.includes('controlled_residence')) return 'controlled';
  return 'elsewhere';
}

export interface PersonForPooling {
  controlKinds: readonly ControlKind[];
  occupation: string | null;
  /** Comma-separated flags, as stored. */
  vulnerable: string;
}

export interface PoolingRequirement {
  zone: PoolingZone;
  /** Largest tube the person may go in. */
  maxSize: number;
  /** One tube per household is allowed instead of single tubes. */
  perHousehold: boolean;
  doorToDoor: boolean;
  /** Why, for the sampler (zone or group). */
  reason: string;
}

function zoneSize(pooling: RoundPooling, zone: PoolingZone): number {
  const size = pooling.byZone[zone].size;
  // A first round uses smaller pools where pooling is widest (precaution and elsewhere).
  if (pooling.firstRound && (zone === 'precaution' || zone === 'elsewhere')) {
    return Math.min(size, pooling.firstRoundSize);
  }
  return size;
}

export function poolingFor(pooling: RoundPooling, person: PersonForPooling): PoolingRequirement {
  const zone = poolingZone(person.controlKinds);
  let maxSize = zoneSize(pooling, zone);
  let perHousehold = pooling.byZone[zone].perHousehold;
  let doorToDoor = zone === 'sealed' || zone === 'quarantine';
  let reason: string = zone;
  const flags = person.vulnerable ? person.vulnerable.split(',') : [];
  for (const o of pooling.overrides) {
    const hit =
      (o.occupations?.includes(person.occupation ?? '') ?? false) ||
      (o.vulnerable?.some((v) => flags.includes(v)) ?? false);
    if (!hit) continue;
    if (o.method === 'single_tube') {
      maxSize = 1;
      perHousehold = false;
      reason = person.occupation ?? 'group';
    } else {
      doorToDoor = true;
      if (reason === zone) reason = 'door_to_door';
    }
  }
  return { zone, maxSize, perHousehold, doorToDoor, reason };
}

/** The capacity of a tube opened at a site without one given: a household tube door to door, else the round's open-area size. */
export function defaultTubeCapacity(
  pooling: RoundPooling,
  siteKind: 'fixed' | 'mobile' | 'door_to_door',
): { capacity: number; purpose: TubePurpose } {
  if (siteKind === 'door_to_door') {
    return { capacity: Math.max(...pooling.allowedSizes.filter((s) => s <= 10)), purpose: 'household' };
  }
  return { capacity: zoneSize(pooling, 'elsewhere'), purpose: 'pooled' };
}

/**
 * - `pooled`: k people of any household (k = 1 is a single tube);
 * - `household`: one household's members only (一户一管);
 * - `retest`: a single tube for someone with an open pool-retest or resample order.
 */
export type TubePurpose = 'pooled' | 'household' | 'retest';
export const TUBE_PURPOSES = ['pooled', 'household', 'retest'] as const satisfies readonly TubePurpose[];
