import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDrill } from '../../src/app/simulation/drill.ts';
import { shanghai2022 } from '../../src/app/simulation/reference.ts';
import { shippedRuleSet } from '../../src/domain/rules/catalogue.ts';
import { chartHtml } from '../../src/domain/simulation/chart.ts';
import { calibrate, dailyCsv, type DayFigures } from '../../src/domain/simulation/figures.ts';
import { zoneSteps } from '../../src/domain/simulation/rules-view.ts';
import { SPRING_2022, type Scenario } from '../../src/domain/simulation/scenario.ts';
import { cityRecords, newSimulation, runModel, TEST_DRILL } from './support.ts';

const SCALE = 0.003;
const DRILLS = path.resolve(import.meta.dirname, '../../drills');

describe('the epidemic model (pure, in memory)', () => {
  it('reads the zone step-downs from each rule set', () => {
    const step = (
      level: number,
      quietDays: number | null,
      periodDays: number | null,
      testDay: number | null = null,
    ) => expect.objectContaining({ level, quietDays, periodDays, testDay });
    // 04-11: sealed days 1–7 (closed), then to day 14 at home with everyone negative on day 13.
    expect(zoneSteps(shippedRuleSet('shanghai-2022-04-11')!.zones)).toEqual([
      step(3, null, 7),
      step(3, null, 14, 13),
    ]);
    expect(zoneSteps(shippedRuleSet('shanghai-2022-05-16')!.zones)).toEqual([
      step(3, 7, null),
      step(2, 10, null),
    ]);
    expect(zoneSteps(shippedRuleSet('national-9th')!.zones)).toEqual([step(3, 7, null), step(2, 10, null)]);
  });

  it('gives the same daily.csv for the same seed, and another for another seed', () => {
    const city = cityRecords(SCALE);
    const a = dailyCsv(runModel(city, TEST_DRILL, 7, SCALE, 8));
    const b = dailyCsv(runModel(city, TEST_DRILL, 7, SCALE, 8));
    const c = dailyCsv(runModel(city, TEST_DRILL, 8, SCALE, 8));
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(a.split('\n')[0]).toContain('date,infections,positives,reported,inside_control,community');
  });

  it('grows faster with zones, quarantine and tracing switched off', () => {
    const city = cityRecords(SCALE);
    const outbreak: Scenario = {
      name: 'outbreak',
      description: 'a hidden outbreak found by weekly rounds',
      start: '2022-04-01',
      ruleSet: 'shanghai-2022-05-16',
      events: [
        { at: '2022-04-01', kind: 'seed', perMillion: 2000, overDays: 3 },
        ...[3, 10, 17, 24].map((d) => ({
          at: `2022-04-${String(d).padStart(2, '0')}T06:00`,
          kind: 'round' as const,
        })),
      ],
    };
    const uncontrolled: Scenario = {
      ...outbreak,
      events: [
        ...outbreak.events,
        { at: '2022-04-01', kind: 'controls', zones: false, quarantine: false, tracing: false },
      ],
    };
    const infections = (days: DayFigures[]) => days.reduce((s, d) => s + d.infections, 0);
    const controlled = infections(runModel(city, outbreak, 1, SCALE, 30));
    const free = infections(runModel(city, uncontrolled, 1, SCALE, 30));
    expect(free).toBeGreaterThan(controlled * 1.5);
  });

  it('places each event of a drill at its day, with its time', () => {
    const city = cityRecords(SCALE);
    const sim = newSimulation(city, TEST_DRILL, 3, SCALE);
    const applied: { kind: string; date: string; minute: number }[] = [];
    for (let d = 0; d < 4; d++) {
      const o = sim.step();
      for (const e of o.actions.events) {
        applied.push({ kind: e.event.kind, date: o.actions.date, minute: e.at - d * 1440 });
      }
      if (o.actions.date === '2022-04-03') {
        // The outage stops every lab from 14:00 to 20:00: no tube comes out of a lab in between.
        const inOutage = o.actions.results.filter(
          (r) => r.resultAt - d * 1440 > 14 * 60 + 180 && r.resultAt - d * 1440 < 20 * 60,
        );
        expect(inOutage).toHaveLength(0);
        const round = o.actions.rounds.find((r) => r.name.includes('测试'));
        expect(round?.startMinute).toBe(6 * 60);
        const scans = o.actions.tubes.filter((t) => t.roundKey === round?.key).flatMap((t) => t.minutes);
        expect(Math.min(...scans)).toBeGreaterThanOrEqual(6 * 60);
      }
    }
    expect(applied).toEqual([
      { kind: 'seed', date: '2022-04-01', minute: 0 },
      { kind: 'beds', date: '2022-04-01', minute: 0 },
      { kind: 'beds', date: '2022-04-02', minute: 8 * 60 },
      { kind: 'round', date: '2022-04-03', minute: 6 * 60 },
      { kind: 'lab_outage', date: '2022-04-03', minute: 14 * 60 },
    ]);
  });
});

describe('drills, calibration and the chart', () => {
  it('ships a spring-2022 drill that is the built-in scenario, and a lab-outage drill', () => {
    expect(loadDrill(path.join(DRILLS, 'spring-2022.yaml')).scenario.events).toEqual(SPRING_2022.events);
    const outage = loadDrill(path.join(DRILLS, 'citywide-round-lab-outage.yaml'));
    expect(outage.scenario.events.map((e) => e.kind)).toEqual([
      'seed',
      'beds',
      'round',
      'lab_outage',
      'beds',
    ]);
  });

  it('names the field of a broken drill', () => {
    const file = path.join(import.meta.dirname, 'data', 'broken-drill.json');
    expect(() => loadDrill(file)).toThrow(/events\.1\.share/);
  });

  it('scores the 2022 series itself as on target', () => {
    const ref = shanghai2022();
    const days = ref
      .filter((r) => r.date <= '2022-05-31')
      .map(
        (r) =>
          ({
            date: r.date,
            reported: r.newInfections,
            positives: r.newInfections,
            insideControl: r.newInfections,
            community: 0,
          }) as DayFigures,
      );
    const c = calibrate(days, ref, 1);
    expect(c.peakDay).toBe('2022-04-13');
    expect(c.targets).toEqual({ peakDay: true, peakHeight: true, insideShare: true, communityZero: true });
    expect(c.lastCommunityDay).toBeNull();
  });

  it('draws a self-contained chart', () => {
    const days = runModel(cityRecords(SCALE), TEST_DRILL, 1, SCALE, 4);
    const html = chartHtml({
      title: 'test',
      scale: SCALE,
      seed: 1,
      days,
      calibration: calibrate(days, shanghai2022(), SCALE),
    });
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });
});
