import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  bestOf,
  dorfmanTestsPerPerson,
  optimalPoolSize,
  planPooling,
  prevalenceFromPools,
} from '../../src/domain/screening/pooling-planner.ts';
import { defaultTubeCapacity, poolingFor, roundPooling } from '../../src/domain/screening/pooling.ts';
import { decideScan, type ScanFacts } from '../../src/domain/screening/scan-decision.ts';
import { quantileMs } from '../../src/domain/screening/stages.ts';
import { addMember, restore } from '../../src/domain/screening/tube.ts';
import { consequenceOf, memberResult, resultProblem } from '../../src/domain/screening/results.ts';
import { shippedRuleSet } from '../../src/domain/rules/catalogue.ts';

const pooling = shippedRuleSet('shanghai-2022-04-11')!.pooling;

describe("Dorfman's pooling planner", () => {
  // The reference table lives only in test data: the planner computes, never looks up.
  const rows = fs
    .readFileSync(path.join(import.meta.dirname, 'data', 'dorfman.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',').map(Number));

  it.each(rows)('prevalence %s: optimal pool %s at %s tests per person', (p, k, e) => {
    const best = optimalPoolSize(p);
    expect(best.size).toBe(k);
    expect(best.testsPerPerson).toBeCloseTo(e, 6);
    expect(dorfmanTestsPerPerson(p, k)).toBeCloseTo(e, 6);
  });

  it("chooses the best of the rule set's sizes and says when pooling stops paying", () => {
    const plan = planPooling(0.01, pooling.allowedSizes);
    expect(plan.unconstrained.size).toBe(11);
    expect(plan.bestAllowed).toEqual({ size: 10, testsPerPerson: expect.closeTo(0.1956, 4) });
    expect(plan.allowed.map((a) => a.size)).toEqual([1, 5, 10, 20]);
    expect(bestOf(0.4, [1, 5, 10, 20]).size).toBe(1);
    expect(optimalPoolSize(0.5).size).toBe(1);
  });

  it('estimates prevalence from pools (a pool is negative only if every member is)', () => {
    const p = prevalenceFromPools([{ size: 10, tested: 1000, positive: 1000 * (1 - Math.pow(0.99, 10)) }]);
    expect(p).toBeCloseTo(0.01, 6);
    expect(prevalenceFromPools([])).toBeNull();
  });
});

describe('pooling rules', () => {
  const round = roundPooling('shanghai-2022-04-11@1', pooling, false);
  const person = { controlKinds: [], occupation: null, vulnerable: '' } as const;

  it('follows the zones: single or household tubes sealed, 10 controlled, 20 elsewhere, 10 in a first round', () => {
    expect(poolingFor(round, { ...person, controlKinds: ['sealed_residence'] })).toMatchObject({
      zone: 'sealed',
      maxSize: 1,
      perHousehold: true,
      doorToDoor: true,
    });
    expect(poolingFor(round, { ...person, controlKinds: ['quarantine'] })).toMatchObject({
      zone: 'quarantine',
      maxSize: 1,
      perHousehold: false,
    });
    expect(poolingFor(round, { ...person, controlKinds: ['controlled_residence'] }).maxSize).toBe(10);
    expect(poolingFor(round, person).maxSize).toBe(20);
    expect(poolingFor(roundPooling('x', pooling, true), person).maxSize).toBe(10);
    expect(defaultTubeCapacity(round, 'fixed')).toEqual({ capacity: 20, purpose: 'pooled' });
    expect(defaultTubeCapacity(round, 'door_to_door').purpose).toBe('household');
  });

  it('applies group overrides: couriers in single tubes, people who cannot move at home', () => {
    expect(poolingFor(round, { ...person, occupation: 'delivery' })).toMatchObject({
      maxSize: 1,
      reason: 'delivery',
    });
    expect(poolingFor(round, { ...person, vulnerable: 'elderly_alone,disability' })).toMatchObject({
      maxSize: 20,
      doorToDoor: true,
    });
  });
});

describe('one scan', () => {
  const base: ScanFacts = {
    collectedAt: 1000,
    now: 1000,
    codeProblem: null,
    round: {
      id: 1,
      name: 'R1',
      startsAt: 0,
      endsAt: 10_000_000,
      closedAt: null,
      pooling: roundPooling('x', pooling, false),
    },
    roundId: 1,
    existing: null,
    person: {
      id: 7,
      districtId: 10,
      streetId: 11,
      committeeId: null,
      householdId: 3,
      occupation: null,
      vulnerable: '',
      controlKinds: [],
    },
    tube: {
      id: 5,
      districtId: 10,
      streetId: 11,
      barcode: 'T1',
      roundId: 1,
      siteId: 1,
      purpose: 'pooled',
      capacity: 2,
      filled: 1,
      state: 'open',
      householdId: null,
      collectedAt: 900,
      closedAt: null,
    },
    prior: null,
    retestOrderId: null,
  };

  it('accepts into an open tube, which closes when the last place is taken (and can be taken back)', () => {
    expect(decideScan(base)).toEqual({ kind: 'accepted', slot: 0 });
    const tube = { ...base.tube };
    const before = addMember(tube, 1000, 3);
    expect(tube).toMatchObject({ filled: 2, state: 'closed', closedAt: 1000, collectedAt: 900 });
    restore(tube, before);
    expect(tube).toEqual(base.tube);
  });

  it('answers a retry as before, whatever changed since', () => {
    expect(decideScan({ ...base, existing: { tubeCode: 'T0' }, codeProblem: 'expired_person_code' })).toEqual(
      { kind: 'duplicate', tubeCode: 'T0' },
    );
  });

  it('refuses with the reason a sampler acts on', () => {
    expect(decideScan({ ...base, prior: { tubeCode: 'T0' } })).toMatchObject({
      rejection: { code: 'already_sampled', params: { tube: 'T0' } },
    });
    expect(decideScan({ ...base, tube: { ...base.tube, roundId: 2 } })).toMatchObject({
      rejection: { code: 'wrong_round' },
    });
    expect(decideScan({ ...base, tube: { ...base.tube, filled: 2 } })).toMatchObject({
      rejection: { code: 'tube_full' },
    });
    expect(decideScan({ ...base, tube: { ...base.tube, state: 'boxed' } })).toMatchObject({
      rejection: { code: 'tube_closed' },
    });
    expect(decideScan({ ...base, collectedAt: 20_000_000, now: 20_000_000 })).toMatchObject({
      rejection: { code: 'round_not_open' },
    });
    expect(decideScan({ ...base, collectedAt: base.now + 3_600_000 })).toMatchObject({
      rejection: { code: 'collected_in_future' },
    });
    expect(decideScan({ ...base, person: null })).toMatchObject({ rejection: { code: 'unknown_person' } });
    expect(
      decideScan({ ...base, tube: { ...base.tube, purpose: 'retest', capacity: 1, filled: 0 } }),
    ).toMatchObject({ rejection: { code: 'no_retest_order' } });
    expect(
      decideScan({
        ...base,
        tube: { ...base.tube, purpose: 'retest', capacity: 1, filled: 0 },
        retestOrderId: 42,
      }),
    ).toMatchObject({ kind: 'accepted', slot: 42 });
    expect(
      decideScan({ ...base, tube: { ...base.tube, purpose: 'household', householdId: 4 } }),
    ).toMatchObject({ rejection: { code: 'other_household' } });
  });
});

describe('results and stages', () => {
  it('derives members’ results and follow-ups from the tube', () => {
    expect(memberResult({ result: 'positive', members: 10 })).toBe('pool_positive');
    expect(memberResult({ result: 'positive', members: 1 })).toBe('positive');
    expect(memberResult({ result: null, members: 3 })).toBe('pending');
    expect(consequenceOf('positive', { purpose: 'household', members: 3 })).toBe('pool_positive');
    expect(consequenceOf('invalid', { purpose: 'pooled', members: 3 })).toBe('resample');
    expect(resultProblem({ outcome: 'positive', ct: { orf1ab: null, n: null } })?.field).toBe('ct');
    expect(resultProblem({ outcome: 'negative', ct: { orf1ab: 46, n: null } })?.field).toBe('ct.orf1ab');
  });

  it('reads quantiles from minute buckets as the bucket’s upper edge', () => {
    const h = new Map([
      [0, 5],
      [10, 4],
      [60, 1],
    ]);
    expect(quantileMs(h, 0.5)).toBe(60_000);
    expect(quantileMs(h, 0.9)).toBe(11 * 60_000);
    expect(quantileMs(h, 1)).toBe(61 * 60_000);
    expect(quantileMs(new Map(), 0.5)).toBeNull();
  });
});
