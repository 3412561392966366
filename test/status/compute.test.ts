import { describe, expect, it } from 'vitest';
import { shippedRuleSet } from '../../src/domain/rules/catalogue.ts';
import { computeStatus, statusSignature } from '../../src/domain/status/compute.ts';
import { decideOnDuty } from '../../src/domain/status/on-duty.ts';
import type { StatusInputs } from '../../src/domain/status/inputs.ts';

/** The colour rules without a database. */
const bundle = shippedRuleSet('shanghai-2022-05-16')!;
const rules = { status: bundle.status, compliance: bundle.compliance, timeZone: 'Asia/Shanghai' };
const empty: StatusInputs = { episodes: [], liveCases: [], orders: [], arrivals: [], exemptions: [] };
const NOW = Date.parse('2022-04-13T04:00:00Z');

describe('status colours', () => {
  it('green without a cause; the worst colour wins; a switched-off reason is dropped', () => {
    expect(computeStatus(empty, rules, NOW)).toMatchObject({ colour: 'green', reasons: [] });
    const inputs: StatusInputs = {
      ...empty,
      episodes: [
        { kind: 'controlled_residence', from: NOW - 10, until: null, sourceType: 'zone' },
        { kind: 'pool_hold', from: NOW - 5, until: null, sourceType: 'screening.pool' },
      ],
    };
    const s = computeStatus(inputs, rules, NOW);
    expect(s.colour).toBe('red');
    expect(statusSignature(s)).toBe('red:lives_in_controlled_place,pool_positive_awaiting_retest');
    const off = {
      ...rules,
      status: {
        ...rules.status,
        reasons: rules.status.reasons.map((r) =>
          r.code === 'pool_positive_awaiting_retest' ? { ...r, enabled: false } : r,
        ),
      },
    };
    expect(computeStatus(inputs, off, NOW).colour).toBe('yellow');
  });

  it('tells when the clock alone will change it next', () => {
    const inputs: StatusInputs = {
      ...empty,
      orders: [
        { reason: 'screening_duty', dueAt: NOW + 1000, notBefore: NOW - 1000, sourceType: 'compliance.duty' },
      ],
    };
    expect(computeStatus(inputs, rules, NOW).changesAt).toBe(NOW + 1001);
  });

  it('on duty only when green, with the reasons and nothing else', () => {
    const s = computeStatus(
      {
        ...empty,
        orders: [{ reason: 'screening_duty', dueAt: NOW - 1, notBefore: NOW - 10, sourceType: 'x' }],
      },
      rules,
      NOW,
    );
    expect(decideOnDuty(s)).toEqual({
      allowed: false,
      reasons: [{ code: 'screening_overdue', label: { zh: '应检未检', en: 'Overdue for a screening duty' } }],
    });
  });
});
