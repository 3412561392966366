import { describe, expect, it } from 'vitest';
import { bulletinDueAt, composeBulletin, BULLETIN_SETTLE_MS } from '../../src/domain/command/bulletin.ts';
import { reconcileSweep } from '../../src/domain/command/reconcile.ts';
import { facilityOverFull, labOverCapacity, siteHourEstimate } from '../../src/domain/command/thresholds.ts';

describe('reconcileSweep', () => {
  const base = { rule: 'r', level: 'warning' as const, subjectType: 'lab', resolution: 'ok' };
  it('opens new breaches, refreshes changed ones, leaves unchanged ones and resolves the rest', () => {
    const open = new Map([
      ['1', JSON.stringify({ n: 5 })],
      ['2', JSON.stringify({ n: 7 })],
      ['3', JSON.stringify({ n: 1 })],
    ]);
    const actions = reconcileSweep({
      ...base,
      open,
      breaches: [
        { subjectId: '1', regionIds: [10], details: { n: 5 } },
        { subjectId: '2', regionIds: [10], details: { n: 8 } },
        { subjectId: '4', regionIds: [20], details: { n: 2 } },
      ],
    });
    expect(actions).toEqual([
      {
        kind: 'open',
        rule: 'r',
        level: 'warning',
        subject: { type: 'lab', id: '2' },
        regionIds: [10],
        details: { n: 8 },
      },
      {
        kind: 'open',
        rule: 'r',
        level: 'warning',
        subject: { type: 'lab', id: '4' },
        regionIds: [20],
        details: { n: 2 },
      },
      { kind: 'resolve', rule: 'r', subject: { type: 'lab', id: '3' }, resolution: 'ok' },
    ]);
  });
});

describe('thresholds', () => {
  it('estimates the last 60 minutes from clock-hour tallies', () => {
    expect(siteHourEstimate(30, 100, 0)).toBe(130);
    expect(siteHourEstimate(30, 100, 45 * 60_000)).toBe(55);
    expect(siteHourEstimate(30, 100, 3_600_000)).toBe(30);
  });
  it('judges labs and facilities', () => {
    expect(labOverCapacity(101, 100)).toBe(true);
    expect(labOverCapacity(100, 100)).toBe(false);
    expect(labOverCapacity(5, null)).toBe(false);
    expect(facilityOverFull(91, 100)).toBe(true);
    expect(facilityOverFull(90, 100)).toBe(false);
    expect(facilityOverFull(0, 0)).toBe(false);
  });
});

describe('composeBulletin', () => {
  const input = {
    day: '2022-04-13',
    issuedAt: 1,
    timeZone: 'Asia/Shanghai',
    ruleSet: 'shanghai-2022-05-16@1',
    city: { id: 1, name: '上海市', nameEn: 'Shanghai' },
    districts: [
      { id: 10, name: '黄浦区', nameEn: 'Huangpu' },
      { id: 20, name: '徐汇区', nameEn: 'Xuhui' },
    ],
    newCases: [
      { districtId: 10, classification: 'inside_control' as const, n: 5 },
      { districtId: 10, classification: 'community' as const, n: 2 },
      { districtId: 99, classification: 'community' as const, n: 9 },
    ],
    ended: [
      { districtId: 20, outcome: 'discharged' as const, n: 3 },
      { districtId: 20, outcome: 'died' as const, n: 1 },
    ],
    zones: [
      { districtId: 10, level: 'sealed', n: 4 },
      { districtId: 20, level: 'precaution', n: 2 },
    ],
    places: [
      { districtId: 10, name: '贵州小区', address: '贵州路1弄' },
      { districtId: 10, name: '贵州小区', address: '贵州路1弄' },
      { districtId: 10, name: '福州小区', address: '福州路2弄' },
    ],
  };
  it('adds up by district, keeps every district, lists each place once, and totals the city', () => {
    const b = composeBulletin(input);
    expect(b.districts[0]).toMatchObject({
      regionId: 10,
      newPositives: 7,
      insideControl: 5,
      community: 2,
      zones: { sealed: 4, controlled: 0, precaution: 0 },
    });
    expect(b.districts[0].places).toEqual([
      { name: '福州小区', address: '福州路2弄' },
      { name: '贵州小区', address: '贵州路1弄' },
    ]);
    expect(b.districts[1]).toMatchObject({ newPositives: 0, discharged: 3, deaths: 1, places: [] });
    // A district outside the registry (99) is not invented into the figures.
    expect(b.totals).toEqual({
      newPositives: 7,
      insideControl: 5,
      community: 2,
      discharged: 3,
      deaths: 1,
      zones: { sealed: 4, controlled: 0, precaution: 2 },
    });
  });
  it('is due after the day ends and has settled', () => {
    expect(bulletinDueAt(1000)).toBe(1000 + BULLETIN_SETTLE_MS);
  });
});
