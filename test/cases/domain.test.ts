import { describe, expect, it } from 'vitest';
import { placeAll, proposeFacilities, type BedPool } from '../../src/domain/cases/allocator.ts';
import { assertCaseMove, canMoveCase } from '../../src/domain/cases/case.ts';
import { classifyCase } from '../../src/domain/cases/classification.ts';
import { evaluateClearing, maxCountUnder, meetsThreshold } from '../../src/domain/cases/clearing.ts';
import { evaluateCaseDischarge, evaluateQuarantineRelease } from '../../src/domain/cases/discharge.ts';
import { forecastDaysToFull } from '../../src/domain/cases/forecast.ts';
import { assessRisk, caseTransferNeed } from '../../src/domain/cases/risk.ts';
import { missedSameDay, percentile, sameDayFigures } from '../../src/domain/cases/same-day.ts';
import { canMoveOrder } from '../../src/domain/cases/transfer-order.ts';
import { shippedRuleSet } from '../../src/domain/rules/catalogue.ts';
import { atLocalTime } from '../../src/domain/time/calendar.ts';

const HOUR = 3_600_000;
const may = shippedRuleSet('shanghai-2022-05-16')!;
const april = shippedRuleSet('shanghai-2022-04-11')!;

const pool = (p: Partial<BedPool> & Pick<BedPool, 'facilityId' | 'facilityKind'>): BedPool => ({
  districtId: 10,
  bedKind: 'standard',
  admits:
    p.facilityKind === 'designated_hospital'
      ? ['case_mild', 'case_severe', 'case_critical']
      : p.facilityKind === 'shelter_hospital'
        ? ['case_asymptomatic', 'case_mild']
        : ['close_contact'],
  lng: 121.48,
  lat: 31.23,
  free: 10,
  ...p,
});

describe('allocator (pure)', () => {
  const request = { need: 'case_mild' as const, critical: false, districtId: 10, lng: 121.48, lat: 31.23 };

  it('prefers the kind the need calls for, then the same district, then the nearest', () => {
    const pools = [
      pool({ facilityId: 1, facilityKind: 'designated_hospital' }),
      pool({ facilityId: 2, facilityKind: 'shelter_hospital', districtId: 20, lng: 121.48, lat: 31.231 }),
      pool({ facilityId: 3, facilityKind: 'shelter_hospital', lng: 121.6, lat: 31.3 }),
      pool({ facilityId: 4, facilityKind: 'shelter_hospital', lng: 121.5, lat: 31.24 }),
      pool({ facilityId: 5, facilityKind: 'quarantine_hotel' }),
    ];
    expect(proposeFacilities(request, pools).map((p) => p.facilityId)).toEqual([4, 3, 2, 1]);
  });

  it('never proposes a full pool, and places no more than the free beds', () => {
    const pools = [
      pool({ facilityId: 1, facilityKind: 'shelter_hospital', free: 2 }),
      pool({ facilityId: 2, facilityKind: 'shelter_hospital', free: 0 }),
    ];
    const placed = placeAll([request, request, request], pools);
    expect(placed.map((p) => p.proposal?.facilityId ?? null)).toEqual([1, 1, null]);
    expect(pools[0].free).toBe(2);
  });

  it('keeps intensive-care beds for the critically ill, who go there first', () => {
    const pools = [
      pool({ facilityId: 1, facilityKind: 'designated_hospital', bedKind: 'ward' }),
      pool({ facilityId: 1, facilityKind: 'designated_hospital', bedKind: 'icu' }),
    ];
    expect(proposeFacilities({ ...request, need: 'case_severe' }, pools).map((p) => p.bedKind)).toEqual([
      'ward',
    ]);
    expect(
      proposeFacilities({ ...request, need: 'case_critical', critical: true }, pools).map((p) => p.bedKind),
    ).toEqual(['icu', 'ward']);
  });
});

describe('classification, risk and states (pure)', () => {
  const t = 1_000_000;
  it('counts controlled residence as inside control only under the April rule set', () => {
    const episodes = [{ kind: 'controlled_residence' as const, from: t - HOUR, until: null }];
    expect(classifyCase(episodes, t, may.community).classification).toBe('community');
    expect(classifyCase(episodes, t, april.community)).toMatchObject({
      classification: 'inside_control',
      countingKinds: ['controlled_residence'],
    });
    expect(
      classifyCase([{ kind: 'quarantine', from: t - HOUR, until: t }], t, may.community).classification,
    ).toBe('community');
  });

  it('derives risk and the transfer need', () => {
    expect(assessRisk({ birthYear: 1950, vulnerable: '' }, 2022)).toMatchObject({
      highRisk: true,
      factors: ['age'],
      age: 72,
    });
    expect(assessRisk({ birthYear: 1990, vulnerable: 'pregnancy,elderly_alone' }, 2022).factors).toEqual([
      'pregnancy',
    ]);
    expect(assessRisk({ birthYear: null, vulnerable: '' }, 2022)).toMatchObject({
      highRisk: false,
      age: null,
    });
    expect(caseTransferNeed('unassessed', false)).toBe('case_asymptomatic');
    expect(caseTransferNeed('mild', false)).toBe('case_mild');
    expect(caseTransferNeed('mild', true)).toBe('case_severe');
    expect(caseTransferNeed('critical', false)).toBe('case_critical');
  });

  it('allows only the documented moves', () => {
    expect(canMoveCase('awaiting_transfer', 'in_transfer')).toBe(true);
    expect(canMoveCase('discharged', 'admitted')).toBe(false);
    expect(() => assertCaseMove(7, 'reported', 'admitted')).toThrow(
      /case 7 is reported and cannot become admitted/,
    );
    expect(canMoveOrder('arrived', 'admitted')).toBe(true);
    expect(canMoveOrder('allocated', 'admitted')).toBe(false);
  });
});

describe('社会面清零 (pure)', () => {
  const section = may.community;
  it('applies "fewer than 1 per 100,000" strictly', () => {
    expect(maxCountUnder(100_000, section.basicallyCleared)).toBe(0);
    expect(maxCountUnder(250_000, section.basicallyCleared)).toBe(2);
    expect(meetsThreshold(2, 250_000, section.basicallyCleared)).toBe(true);
    expect(meetsThreshold(3, 300_000, section.basicallyCleared)).toBe(false);
    expect(meetsThreshold(0, 0, section.basicallyCleared)).toBe(true);
    expect(meetsThreshold(1, 0, section.basicallyCleared)).toBe(false);
  });

  it('counts consecutive whole days back from the last complete day', () => {
    const counts = new Map([
      ['2022-05-01', 9],
      ['2022-05-02', 1],
      ['2022-05-04', 2],
    ]);
    const s = evaluateClearing({
      firstDay: '2022-05-01',
      throughDay: '2022-05-06',
      counts,
      population: 500_000,
      section,
    });
    expect(s.days.map((d) => d.meetsBasicallyCleared)).toEqual([false, true, true, true, true, true]);
    expect(s).toMatchObject({
      level: 'basically_cleared',
      basicallyClearedDays: 5,
      clearedDays: 2,
      daysToCleared: 1,
      lastCommunityDay: '2022-05-04',
    });
  });
});

describe('discharge criteria (pure)', () => {
  const rule = may.discharge.shelterHospital;
  const admitted = 0;
  const neg = (h: number, ct: number | null = null) => ({
    sampledAt: h * HOUR,
    result: 'negative' as const,
    ct,
  });
  const pos = (h: number, ct: number) => ({ sampledAt: h * HOUR, result: 'positive' as const, ct });

  it('needs two qualifying negatives 24 h apart at the end of the record', () => {
    expect(evaluateCaseDischarge([neg(10), neg(34)], admitted, rule).eligible).toBe(true);
    expect(evaluateCaseDischarge([neg(10), neg(30)], admitted, rule).eligible).toBe(false);
    expect(evaluateCaseDischarge([pos(10, 36), neg(40)], admitted, rule).eligible).toBe(true);
    expect(evaluateCaseDischarge([neg(10), neg(40), pos(50, 30)], admitted, rule)).toMatchObject({
      eligible: false,
      reason: expect.stringMatching(/below the threshold/),
    });
    expect(evaluateCaseDischarge([neg(-30), neg(5)], admitted, rule).eligible).toBe(false);
  });

  it('releases a contact at the start of the day after the last quarantine day', () => {
    const regime = may.contacts.close;
    const admittedAt = atLocalTime('2022-05-01', 15, 0, 'Asia/Shanghai');
    const release = (day: string, h: number) =>
      evaluateQuarantineRelease(
        [],
        admittedAt,
        atLocalTime(day, h, 0, 'Asia/Shanghai'),
        regime,
        'Asia/Shanghai',
      ).eligible;
    expect(release('2022-05-07', 23)).toBe(false);
    expect(release('2022-05-08', 0)).toBe(true);
  });
});

describe('日清日结 and forecast (pure)', () => {
  it('computes the share admitted the same day and waiting percentiles', () => {
    const end = 24 * HOUR;
    const o = (foundH: number, admittedH: number | null, cancelled = false) => ({
      districtId: 1,
      kind: 'case' as const,
      foundAt: foundH * HOUR,
      pickedUpAt: admittedH == null ? null : (admittedH - 1) * HOUR,
      admittedAt: admittedH == null ? null : admittedH * HOUR,
      cancelled,
    });
    const f = sameDayFigures([o(8, 12), o(9, 23), o(10, 30), o(11, null), o(12, null, true)], end, 36 * HOUR);
    expect(f).toMatchObject({
      found: 4,
      admitted: 3,
      admittedSameDay: 2,
      waiting: 1,
      cancelled: 1,
      sameDayShare: 0.5,
      waitP50Minutes: 14 * 60,
      waitP90Minutes: 25 * 60,
    });
    expect(percentile([], 50)).toBeNull();
    expect(missedSameDay({ admittedAt: null, cancelled: false }, end, end - 1)).toBe(false);
    expect(missedSameDay({ admittedAt: end + 1, cancelled: false }, end, end + 2)).toBe(true);
  });

  it('forecasts days to full from the net daily inflow', () => {
    expect(
      forecastDaysToFull({ free: 100, admissions: [30, 30, 30], discharges: [10, 10, 10] }),
    ).toMatchObject({ netPerDay: 20, daysToFull: 5 });
    expect(forecastDaysToFull({ free: 100, admissions: [10], discharges: [20] }).daysToFull).toBeNull();
    expect(forecastDaysToFull({ free: 0, admissions: [], discharges: [] }).daysToFull).toBe(0);
  });
});
