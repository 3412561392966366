import { Random } from '../../src/domain/random.ts';
import type { ZonesSection } from '../../src/domain/rules/zones-schema.ts';
import { addDays, type CalendarDay } from '../../src/domain/time/calendar.ts';
import { isActive } from '../../src/domain/zones/on-positive.ts';
import { ZoneTimeline } from '../../src/domain/zones/timeline.ts';
import type { Residence, ZoneDesignation } from '../../src/domain/zones/types.ts';

/**
 * The zones of the wave up to the peak, played day by day with the domain's own functions (the
 * same rules the service applies, without a database): each morning every step-down the rules
 * allow is taken (day-N tests pass for most places; a few miss one), then the day's positives
 * seal, restart or hold their places. The last day's morning is left undone: that is the bench.
 */
export interface WaveCase {
  caseId: string;
  personId: number;
  residence: Residence;
  districtId: number;
  sampledDay: CalendarDay;
}

export interface SimulatedZones {
  designations: ZoneDesignation[];
  /** Places whose day-N test went wrong for one resident (their way out stays blocked). */
  missedTests: Set<number>;
}

export function simulateWave(
  zones: ZonesSection,
  cases: readonly WaveCase[],
  firstDay: CalendarDay,
  lastDay: CalendarDay,
  seed: number,
): SimulatedZones {
  const r = new Random(`zones-wave:${seed}`);
  const timeline = new ZoneTimeline(zones);
  const missedTests = new Set<number>();
  const casesByDay = new Map<CalendarDay, WaveCase[]>();
  for (const c of cases) {
    const list = casesByDay.get(c.sampledDay) ?? [];
    list.push(c);
    casesByDay.set(c.sampledDay, list);
  }
  // Most places have everyone negative on their test day; about one in forty misses one.
  const coverage = (d: ZoneDesignation) => {
    if (missedTests.has(d.id)) return { residents: 100, negative: 99 };
    if (r.float() < 0.025) {
      missedTests.add(d.id);
      return { residents: 100, negative: 99 };
    }
    return { residents: 100, negative: 100 };
  };

  for (let day = firstDay; day <= lastDay; day = addDays(day, 1)) {
    if (day < lastDay) {
      const state = (d: ZoneDesignation) => `${d.level}/${d.phase}/${d.periodStartDay}`;
      const before = new Map(timeline.designations().map((d) => [d.id, state(d)]));
      timeline.morning(day, coverage);
      // A place that moved on is past its missed test.
      for (const d of timeline.designations()) if (before.get(d.id) !== state(d)) missedTests.delete(d.id);
    }
    for (const c of casesByDay.get(day) ?? []) timeline.positive(c, day);
  }
  return { designations: timeline.designations(), missedTests };
}

/** Shorthand used by the loader: the active designations that were not held buildings. */
export function activeUnits(sim: SimulatedZones): ZoneDesignation[] {
  return sim.designations.filter((d) => isActive(d) && !d.hold);
}
