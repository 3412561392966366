import { describe, expect, it } from 'vitest';
import { shippedRuleSet } from '../../src/domain/rules/catalogue.ts';
import { LEVEL, simulationRules } from '../../src/domain/simulation/rules-view.ts';
import { Population } from '../../src/domain/simulation/population.ts';
import { SimState } from '../../src/domain/simulation/state.ts';
import { addDays } from '../../src/domain/time/calendar.ts';
import { ZoneTimeline } from '../../src/domain/zones/timeline.ts';
import { cityRecords } from './support.ts';

/**
 * The simulated samplers pool people by the model's zones, and Cordon refuses a pool for anyone
 * it holds in a stricter place: the model must keep every place where Cordon's own rules keep it,
 * day by day, when each step-down is approved the morning it falls due. Each scenario is played
 * through Cordon's domain functions (ZoneTimeline) and through the model, and the level of a
 * resident of each building is compared every morning and every evening.
 */
const FIRST = '2022-04-01';
const LEVEL_NAME: Record<number, string> = {
  [LEVEL.free]: 'precaution',
  [LEVEL.precaution]: 'precaution',
  [LEVEL.controlled]: 'controlled',
  [LEVEL.sealed]: 'sealed',
};

/** Positives: [building index in the compound (0 or 1), sampled day, day the case is made]. */
type Positive = [building: 0 | 1, sampled: number, reported: number];

const scenarios: Record<string, Positive[]> = {
  'one positive': [[0, 2, 3]],
  'a case made two days after its sample': [[0, 2, 4]],
  'a second positive in the other building early in the seal': [
    [0, 2, 3],
    [1, 5, 6],
  ],
  'a second positive after the first phase': [
    [0, 2, 3],
    [1, 11, 12],
  ],
  'a positive sampled before the seal began, made later': [
    [0, 3, 4],
    [1, 2, 6],
  ],
  'a new positive after the place stepped down': [
    [0, 1, 2],
    [1, 24, 25],
  ],
};

const population = new Population(cityRecords(0.003));
/** A compound with two buildings, and a resident of each. */
const { residents, residences } = (() => {
  for (let c = 0; c < population.compoundIds.length; c++) {
    const members = population.compounds.members.subarray(
      population.compounds.start[c],
      population.compounds.start[c + 1],
    );
    const first = members[0];
    const other = [...members].find((p) => population.building[p] !== population.building[first]);
    if (other === undefined) continue;
    const residence = (p: number) => ({
      buildingId: population.buildingIds[population.building[p]],
      compoundId: population.compoundIds[c],
    });
    return { residents: [first, other], residences: [residence(first), residence(other)] };
  }
  throw new Error('no compound with two buildings in the test city');
})();

describe.each(['shanghai-2022-04-11', 'shanghai-2022-05-16', 'national-9th'])(
  'the model keeps places as Cordon does under %s',
  (ruleSet) => {
    const bundle = shippedRuleSet(ruleSet)!;
    it.each(Object.keys(scenarios))('%s', (name) => {
      const positives = scenarios[name];
      const model = new SimState(population, simulationRules(bundle));
      const cordon = new ZoneTimeline(bundle.zones);
      const seen: string[] = [];
      const look = (day: number, when: string) => {
        for (const k of [0, 1]) {
          const wanted = cordon.residentLevel(residences[k]);
          const got = LEVEL_NAME[model.designatedLevel(residents[k], day)];
          seen.push(`${when} ${day} building ${k}: ${got}${got === wanted ? '' : ` (Cordon: ${wanted})`}`);
        }
      };
      for (let day = 0; day < 40; day++) {
        const date = addDays(FIRST, day);
        cordon.morning(date, () => ({ residents: 100, negative: 100 }));
        look(day, 'morning');
        for (const [k, sampled, reported] of positives) {
          if (reported !== day) continue;
          model.recordPositiveHome(residents[k], sampled, day);
          cordon.positive(
            { caseId: `${k}-${sampled}`, residence: residences[k], sampledDay: addDays(FIRST, sampled) },
            date,
          );
        }
        look(day, 'evening');
      }
      expect(seen.filter((line) => line.includes('Cordon:'))).toEqual([]);
      // The scenario did seal something (a comparison of two empty timelines would prove nothing).
      expect(seen.some((line) => line.endsWith('sealed'))).toBe(true);
    });
  },
);
