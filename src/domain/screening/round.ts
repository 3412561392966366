import type { RoundPooling } from './pooling.ts';

/**
 * A screening round (一轮全员核酸筛查): a scope (regions or places), a time window, a kind, and
 * the pooling frozen from the rule set when it was created.
 */
export const ROUND_KINDS = ['nucleic_acid', 'antigen'] as const;
export type RoundKind = (typeof ROUND_KINDS)[number];

export interface RoundScope {
  regionIds: number[];
  placeIds: number[];
}

export interface Round {
  id: number;
  name: string;
  kind: RoundKind;
  startsAt: number;
  endsAt: number;
  closedAt: number | null;
  scope: RoundScope;
  pooling: RoundPooling;
  createdAt: number;
}

/** A round longer than a week is a mistake in the dates, not a round (SPEC: an area within 24 h). */
export const MAX_ROUND_MS = 7 * 86_400_000;

export function roundWindowProblem(
  startsAt: number,
  endsAt: number,
): { field: string; message: string } | null {
  if (!(endsAt > startsAt)) return { field: 'endsAt', message: 'must be after startsAt' };
  if (endsAt - startsAt > MAX_ROUND_MS) return { field: 'endsAt', message: 'a round lasts at most 7 days' };
  return null;
}

export function roundStatus(
  round: Pick<Round, 'startsAt' | 'endsAt' | 'closedAt'>,
  now: number,
): 'planned' | 'open' | 'ended' {
  if (round.closedAt != null || now > round.endsAt) return 'ended';
  return now < round.startsAt ? 'planned' : 'open';
}

/** Antigen rounds test each person on their own: no pools. */
export function effectivePooling(kind: RoundKind, pooling: RoundPooling): RoundPooling {
  if (kind === 'nucleic_acid') return pooling;
  const single = { size: 1, perHousehold: false };
  return {
    ...pooling,
    allowedSizes: [1],
    firstRoundSize: 1,
    byZone: { sealed: single, quarantine: single, controlled: single, precaution: single, elsewhere: single },
  };
}
