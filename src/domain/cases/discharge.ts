import { addDays, dayOf, startOfDay } from '../time/calendar.ts';
import type { ContactRegime, DischargeSection } from '../rules/schema.ts';

/**
 * Discharge criteria (出院 / 解除隔离) as rules from the active rule set: a case leaves isolation
 * after `consecutiveNegatives` negatives with Ct ≥ `minCt`, each sampled at least `minHoursApart`
 * after the previous one (shelter hospital: two, Ct ≥ 35, 24 h apart); a close contact leaves
 * central quarantine when its quarantine period (day 1 = the admission day) has run and no test
 * in it was positive. Anything else needs an override with a reason (app/cases/admissions.ts).
 */
export interface StayTest {
  sampledAt: number;
  result: 'negative' | 'positive';
  /** Cycle threshold; null when nothing was detected. */
  ct: number | null;
}

export interface DischargeVerdict {
  eligible: boolean;
  /** Why (or why not), for the user and the audit trail. */
  reason: string;
  /** The tests that satisfied the rule, oldest first. */
  qualifying: StayTest[];
}

const HOUR_MS = 3_600_000;

/** A test counts towards discharge when nothing was detected, or only above the Ct threshold. */
export function qualifiesForDischarge(test: StayTest, minCt: number): boolean {
  if (test.ct == null) return test.result === 'negative';
  return test.ct >= minCt;
}

/**
 * Isolation of a case: looks at the newest unbroken run of qualifying tests taken during the stay
 * and picks, newest first, tests that are at least `minHoursApart` before the one picked after
 * them; eligible when it finds `consecutiveNegatives` of them.
 */
export function evaluateCaseDischarge(
  tests: readonly StayTest[],
  admittedAt: number,
  rule: DischargeSection['shelterHospital'],
): DischargeVerdict {
  const during = tests.filter((t) => t.sampledAt >= admittedAt).sort((a, b) => a.sampledAt - b.sampledAt);
  const run: StayTest[] = [];
  for (let i = during.length - 1; i >= 0; i--) {
    if (!qualifiesForDischarge(during[i], rule.minCt)) break;
    run.push(during[i]);
  }
  const picked: StayTest[] = [];
  for (const test of run) {
    const later = picked[picked.length - 1];
    if (!later || later.sampledAt - test.sampledAt >= rule.minHoursApart * HOUR_MS) picked.push(test);
    if (picked.length >= rule.consecutiveNegatives) break;
  }
  const need = rule.consecutiveNegatives;
  if (picked.length >= need) {
    return {
      eligible: true,
      reason: `${need} consecutive negatives (Ct ≥ ${rule.minCt}) at least ${rule.minHoursApart} h apart`,
      qualifying: picked.reverse(),
    };
  }
  const newest = during[during.length - 1];
  const why =
    newest && !qualifiesForDischarge(newest, rule.minCt)
      ? `the latest test (Ct ${newest.ct ?? 'n/a'}) is below the threshold Ct ${rule.minCt}`
      : `${picked.length} of ${need} negatives (Ct ≥ ${rule.minCt}, ${rule.minHoursApart} h apart) so far`;
  return { eligible: false, reason: why, qualifying: picked.reverse() };
}

/**
 * Central quarantine of a close contact: the quarantine phase's days (day 1 = the admission day)
 * have run — due at the start of the next day — and no test during the stay was positive.
 */
export function evaluateQuarantineRelease(
  tests: readonly StayTest[],
  admittedAt: number,
  now: number,
  regime: ContactRegime,
  timeZone: string,
): DischargeVerdict {
  const positive = tests.find((t) => t.sampledAt >= admittedAt && t.result === 'positive');
  if (positive) return { eligible: false, reason: 'a test during quarantine was positive', qualifying: [] };
  const days = regime.quarantine.days;
  const releaseAt = startOfDay(addDays(dayOf(admittedAt, timeZone), days), timeZone);
  if (now < releaseAt) {
    return {
      eligible: false,
      reason: `quarantine of ${days} days ends on ${dayOf(releaseAt, timeZone)}`,
      qualifying: [],
    };
  }
  return { eligible: true, reason: `${days} days of quarantine completed`, qualifying: [] };
}
