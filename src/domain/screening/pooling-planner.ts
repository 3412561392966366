/**
 * The pooling planner (混管方案测算): Dorfman's two-stage pooled testing. A pool of k people is
 * tested once; if positive, each member is retested alone. With prevalence p and independent
 * infections the expected tests per person are
 *
 *   E(k) = 1/k + 1 − (1 − p)^k          (Dorfman 1943, Ann. Math. Statist. 14(4):436–440)
 *
 * k = 1 means testing everyone alone (E = 1): pooling only pays while E(k) < 1. Pure functions;
 * the reference table (test data, never shipped) is recomputed by these, not read.
 */

/** The largest pool size the unconstrained search considers (a tube's physical limit is far lower). */
export const MAX_POOL_SIZE = 199;

export interface PoolSizeChoice {
  size: number;
  testsPerPerson: number;
}

export interface PoolingPlan {
  prevalence: number;
  /** The best size over 1..MAX_POOL_SIZE, whatever the rules allow. */
  unconstrained: PoolSizeChoice;
  /** The best of the sizes the rule set allows. */
  bestAllowed: PoolSizeChoice;
  /** Every allowed size with its expected tests per person, smallest size first. */
  allowed: PoolSizeChoice[];
}

/** Expected tests per person for pools of `size` at prevalence `p` (size 1: one test each). */
export function dorfmanTestsPerPerson(p: number, size: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`prevalence must be between 0 and 1, got ${p}`);
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError(`pool size must be a positive integer, got ${size}`);
  }
  if (size === 1) return 1;
  return 1 / size + 1 - Math.pow(1 - p, size);
}

/** The size with the fewest expected tests among `sizes`; ties go to the smaller pool (fewer retests). */
export function bestOf(p: number, sizes: readonly number[]): PoolSizeChoice {
  if (sizes.length === 0) throw new RangeError('no pool sizes to choose from');
  let best: PoolSizeChoice | null = null;
  for (const size of [...sizes].sort((a, b) => a - b)) {
    const testsPerPerson = dorfmanTestsPerPerson(p, size);
    if (!best || testsPerPerson < best.testsPerPerson - 1e-12) best = { size, testsPerPerson };
  }
  return best!;
}

/** The unconstrained optimum over 1..maxSize (E is unimodal in k for p < 1, but a full scan is cheap and safe). */
export function optimalPoolSize(p: number, maxSize = MAX_POOL_SIZE): PoolSizeChoice {
  const sizes = Array.from({ length: maxSize }, (_, i) => i + 1);
  return bestOf(p, sizes);
}

export function planPooling(p: number, allowedSizes: readonly number[]): PoolingPlan {
  const allowed = [...new Set(allowedSizes)]
    .sort((a, b) => a - b)
    .map((size) => ({ size, testsPerPerson: dorfmanTestsPerPerson(p, size) }));
  return { prevalence: p, unconstrained: optimalPoolSize(p), bestAllowed: bestOf(p, allowedSizes), allowed };
}

/**
 * Positivity estimated from recent tubes: with n pools of size k of which x were positive, the
 * per-person prevalence that explains it is 1 − (1 − x/n)^(1/k) (a pool is negative only if all
 * k members are). Single tubes give x/n directly.
 */
export function prevalenceFromPools(
  pools: { size: number; tested: number; positive: number }[],
): number | null {
  let people = 0;
  let weighted = 0;
  for (const g of pools) {
    if (g.tested <= 0) continue;
    const rate = Math.min(1, Math.max(0, g.positive / g.tested));
    const perPerson = 1 - Math.pow(1 - rate, 1 / g.size);
    people += g.tested * g.size;
    weighted += perPerson * g.tested * g.size;
  }
  return people === 0 ? null : weighted / people;
}
