import type { TubePurpose } from './pooling.ts';

/**
 * A lab's result for one tube and what it means for the tube's members (检 → 报). Members'
 * results are derived from their tube's; these rules say which follow-up each outcome needs.
 */
export const TUBE_OUTCOMES = ['negative', 'positive', 'invalid'] as const;
export type TubeOutcome = (typeof TUBE_OUTCOMES)[number];

/** Cycle threshold values of the two targets labs report (ORF1ab and N genes). */
export interface CtValues {
  orf1ab: number | null;
  n: number | null;
}

export interface TubeResult {
  outcome: TubeOutcome;
  ct: CtValues;
}

/** PCR runs stop at 45 cycles or fewer; a Ct outside (0, 45] is a typing error. */
export const MAX_CT = 45;

/** Returns the problem with a result as field → message, or null when it is acceptable. */
export function resultProblem(result: TubeResult): { field: string; message: string } | null {
  for (const key of ['orf1ab', 'n'] as const) {
    const v = result.ct[key];
    if (v != null && !(v > 0 && v <= MAX_CT)) {
      return { field: `ct.${key}`, message: `Ct must be above 0 and at most ${MAX_CT}` };
    }
  }
  if (result.outcome === 'positive' && result.ct.orf1ab == null && result.ct.n == null) {
    return { field: 'ct', message: 'a positive result needs at least one Ct value' };
  }
  if (result.outcome === 'invalid' && (result.ct.orf1ab != null || result.ct.n != null)) {
    return { field: 'ct', message: 'an invalid result carries no Ct value' };
  }
  return null;
}

/**
 * What a result sets in motion:
 * - `members_negative`: every member is negative (derived), their open orders are fulfilled, and
 *   a retest tube's negative releases the member's pool hold;
 * - `pool_positive`: every member goes under pool hold with a single-tube retest order;
 * - `single_positive`: the one member is positive: `result.positive`;
 * - `resample`: the tube is invalid: every member gets a resample order.
 */
export type ResultConsequence = 'members_negative' | 'pool_positive' | 'single_positive' | 'resample';

export function consequenceOf(
  outcome: TubeOutcome,
  tube: { purpose: TubePurpose; members: number },
): ResultConsequence {
  switch (outcome) {
    case 'negative':
      return 'members_negative';
    case 'invalid':
      return 'resample';
    case 'positive':
      // One member is a single tube whatever the tube was meant for; a household tube of several is a pool.
      return tube.members === 1 ? 'single_positive' : 'pool_positive';
  }
}

/** Same outcome and Ct values: a lab's retry, which changes nothing. */
export function sameResult(a: TubeResult, b: TubeResult): boolean {
  return a.outcome === b.outcome && a.ct.orf1ab === b.ct.orf1ab && a.ct.n === b.ct.n;
}

/**
 * A member's own result, derived from their tube's (readable the moment the tube's result
 * commits): a positive pool is not a positive person, but "pool positive, retest pending".
 */
export type MemberResult = 'pending' | 'negative' | 'positive' | 'pool_positive' | 'invalid';

export function memberResult(tube: { result: TubeOutcome | null; members: number }): MemberResult {
  if (tube.result == null) return 'pending';
  if (tube.result === 'positive') return tube.members === 1 ? 'positive' : 'pool_positive';
  return tube.result;
}
