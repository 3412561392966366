import { describe, expect, it } from 'vitest';
import { shippedRuleSet } from '../../src/domain/rules/catalogue.ts';
import { evaluateCondition } from '../../src/domain/zones/conditions.ts';
import { decideOnPositive, sealUnitOf } from '../../src/domain/zones/on-positive.ts';
import { proposeZoneTransitions } from '../../src/domain/zones/proposals.ts';
import { residentZone, wantedEpisode } from '../../src/domain/zones/residents.ts';
import type { ZoneDesignation } from '../../src/domain/zones/types.ts';

/** The pure zone rules without a database: due days, units, and what a positive does. */
const zones0411 = shippedRuleSet('shanghai-2022-04-11')!.zones;
const zones0516 = shippedRuleSet('shanghai-2022-05-16')!.zones;
const sealed = (over: Partial<ZoneDesignation> = {}): ZoneDesignation => ({
  id: 1,
  placeId: 100,
  level: 'sealed',
  phase: 'closed',
  periodStartDay: '2022-04-13',
  since: 0,
  levelSince: 0,
  lastPositiveDay: '2022-04-13',
  causeCaseIds: ['a'],
  hold: null,
  ...over,
});
const none = { positives: [], heldBuildingIds: [], coverage: () => undefined };

describe('zone conditions', () => {
  it('counts whole quiet days after the sampling day; due at the start of the next day', () => {
    const c = { kind: 'days_without_positive', days: 7 } as const;
    expect(evaluateCondition(c, sealed(), none, '2022-04-20')).toMatchObject({
      met: false,
      dueDay: '2022-04-21',
    });
    expect(evaluateCondition(c, sealed(), none, '2022-04-21')).toMatchObject({
      met: true,
      dueDay: '2022-04-21',
    });
  });

  it('counts completed period days from day 1', () => {
    const c = { kind: 'period_days_completed', days: 7 } as const;
    expect(evaluateCondition(c, sealed(), none, '2022-04-19').met).toBe(false);
    expect(evaluateCondition(c, sealed(), none, '2022-04-20')).toMatchObject({
      met: true,
      dueDay: '2022-04-20',
    });
  });

  it('needs every resident negative on the named day, and that day over', () => {
    const c = { kind: 'everyone_negative_on_day', day: 13 } as const;
    const facts = {
      positives: [],
      coverage: (day: string) => (day === '2022-04-25' ? { residents: 3, negative: 3 } : undefined),
    };
    expect(evaluateCondition(c, sealed(), facts, '2022-04-25').met).toBe(false);
    expect(evaluateCondition(c, sealed(), facts, '2022-04-26').met).toBe(true);
  });
});

describe('what a positive does', () => {
  it('seals the compound, or the building when it has none', () => {
    expect(sealUnitOf({ buildingId: 2, compoundId: 1 }, zones0411)).toBe(1);
    expect(sealUnitOf({ buildingId: 2, compoundId: null }, zones0411)).toBe(2);
  });

  it('holds the building under 04-11 during the closed phase, restarts under 05-16', () => {
    const input = { caseId: 'b', residence: { buildingId: 101, compoundId: 100 }, sampledDay: '2022-04-15' };
    expect(
      decideOnPositive(zones0411, input, { unit: sealed(), building: null }, '2022-04-15').map((c) => c.kind),
    ).toEqual(['note_positive', 'hold_building']);
    expect(
      decideOnPositive(zones0516, input, { unit: sealed(), building: null }, '2022-04-15'),
    ).toMatchObject([{ kind: 'designate', periodStartDay: '2022-04-15' }]);
  });

  it('does not restart for a sample taken before the seal', () => {
    const input = { caseId: 'c', residence: { buildingId: 101, compoundId: 100 }, sampledDay: '2022-04-12' };
    expect(
      decideOnPositive(zones0516, input, { unit: sealed(), building: null }, '2022-04-14'),
    ).toMatchObject([{ kind: 'note_positive' }]);
  });
});

describe('proposals and residents', () => {
  it('proposes nothing before a way out is due, and explains why', () => {
    const { proposal, blocked } = proposeZoneTransitions(zones0516, sealed(), none, '2022-04-18');
    expect(proposal).toBeNull();
    expect(blocked[0].conditions[0].text).toContain('4 of 7 whole days');
  });

  it('gives a resident the strictest cover, and keeps the episode across a change of cover at the same level', () => {
    const building = { id: 2, placeId: 101, level: 'sealed' as const, levelSince: 50, hold: null };
    const compound = { id: 1, placeId: 100, level: 'controlled' as const, levelSince: 10, hold: null };
    const zone = residentZone([building, compound]);
    expect(zone).toMatchObject({ level: 'sealed', designation: { id: 2 } });
    expect(wantedEpisode(zones0411, zone)).toEqual({
      kind: 'sealed_residence',
      sourceType: 'zone',
      sourceId: '2@50',
    });
    expect(wantedEpisode(zones0411, residentZone([{ ...compound, level: 'precaution' }]))).toBeNull();
  });
});

describe('a place designated under an earlier rule set', () => {
  // 04-11's "sealed, home monitoring" has no way out under 05-16: it is read as 05-16's sealed phase.
  const monitoring = sealed({
    phase: 'home_monitoring',
    periodStartDay: '2022-05-05',
    lastPositiveDay: '2022-05-04',
  });

  it('steps down by the active set from the phase of the same level, keeping its quiet days', () => {
    expect(proposeZoneTransitions(zones0516, monitoring, none, '2022-05-11').proposal).toBeNull();
    expect(proposeZoneTransitions(zones0516, monitoring, none, '2022-05-12').proposal).toMatchObject({
      from: { level: 'sealed', phase: 'home_monitoring' },
      to: { level: 'controlled', phase: 'monitoring' },
      dueDay: '2022-05-12',
    });
  });

  it('is still judged by its own phase when the active set has it', () => {
    expect(proposeZoneTransitions(zones0411, monitoring, none, '2022-05-12').proposal).toBeNull();
  });
});
