import type { TubePurpose } from './pooling.ts';

/**
 * A tube's life (采 → 送 → 检 → 报): filled by scans while open, closed when full or by hand,
 * sealed into a transport box, dispatched with a courier, received by a lab, resulted, and its
 * members notified. Each step stamps its time; stage durations and backlogs are read from them.
 */
export const TUBE_STATES = ['open', 'closed', 'boxed', 'dispatched', 'received', 'resulted'] as const;
export type TubeStateName = (typeof TUBE_STATES)[number];

export interface Tube {
  /** Null until the tube is written (opened by its first scan in the same commit). */
  id: number | null;
  districtId: number;
  streetId: number;
  barcode: string;
  roundId: number;
  siteId: number;
  purpose: TubePurpose;
  capacity: number;
  filled: number;
  state: TubeStateName;
  /** The household of a household tube's members (一户一管), once its first member is in. */
  householdId: number | null;
  collectedAt: number | null;
  closedAt: number | null;
}

export function isFull(tube: Pick<Tube, 'filled' | 'capacity'>): boolean {
  return tube.filled >= tube.capacity;
}

/**
 * Adds one member collected at `at`, in place: the caller owns this copy of the tube (a scan
 * group's working state), and a group of thousands of scans should not allocate a tube per scan.
 * A tube closes itself when it reaches its capacity, at the time its last member was collected.
 * Returns what to restore if the store then refuses the scan.
 */
export function addMember(tube: Tube, at: number, householdId: number | null): TubeSnapshot {
  const before: TubeSnapshot = {
    filled: tube.filled,
    state: tube.state,
    collectedAt: tube.collectedAt,
    closedAt: tube.closedAt,
    householdId: tube.householdId,
  };
  tube.filled += 1;
  if (tube.purpose === 'household' && tube.householdId == null) tube.householdId = householdId;
  const first = tube.collectedAt;
  tube.collectedAt = first == null ? at : Math.min(first, at);
  if (tube.filled >= tube.capacity) {
    tube.state = 'closed';
    tube.closedAt = Math.max(at, first ?? at);
  }
  return before;
}

export type TubeSnapshot = Pick<Tube, 'filled' | 'state' | 'collectedAt' | 'closedAt' | 'householdId'>;

export function restore(tube: Tube, snapshot: TubeSnapshot): void {
  Object.assign(tube, snapshot);
}

/** Which states a transition may start from; anything else is a conflict naming the tube's state. */
export const TUBE_TRANSITIONS = {
  close: ['open'],
  box: ['closed'],
  dispatch: ['boxed'],
  receive: ['dispatched'],
  result: ['received'],
} as const satisfies Record<string, readonly TubeStateName[]>;

export type TubeTransition = keyof typeof TUBE_TRANSITIONS;

export function mayTransition(state: TubeStateName, transition: TubeTransition): boolean {
  return (TUBE_TRANSITIONS[transition] as readonly TubeStateName[]).includes(state);
}
