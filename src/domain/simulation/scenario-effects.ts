/**
 * What each scenario event does to the model on its day. The actors replay the same applied
 * events against Cordon at their local times (a round is opened, a lab stops posting, a rule set
 * is switched), which is how a drill's events "happen at their times" in both worlds.
 */
import type { Random } from '../random.ts';
import { infect } from './disease.ts';
import type { OutbreakSimulation } from './engine.ts';
import { DAY_MINUTES } from './lab.ts';
import { simulationRules } from './rules-view.ts';
import type { PlannedRound } from './sampling.ts';
import type { ScenarioEvent } from './scenario.ts';
import { AREA, SETTING } from './state.ts';

export interface AppliedEvent {
  event: ScenarioEvent;
  /** Absolute minute (from the first simulated midnight). */
  at: number;
  /** The screening round the event calls, if any. */
  round?: PlannedRound;
  /** What happened, for the progress log and the drill report. */
  note: string;
}

export function applyEvent(
  sim: OutbreakSimulation,
  event: ScenarioEvent,
  day: number,
  minute: number,
  random: Random,
): AppliedEvent {
  const at = day * DAY_MINUTES + minute;
  const pop = sim.population;
  const state = sim.state;
  const districtIndexes = (codes?: string[]) => {
    const all = pop.city.districts.map((_, i) => i);
    if (!codes || codes.length === 0) return all;
    const wanted = new Set(codes);
    return all.filter((i) => wanted.has(pop.city.districts[i].code));
  };
  switch (event.kind) {
    case 'seed': {
      const districts = districtIndexes(event.districts);
      const residents = districts.reduce(
        (s, d) => s + pop.districts.start[d + 1] - pop.districts.start[d],
        0,
      );
      const count =
        event.infections ?? Math.max(1, Math.round(((event.perMillion ?? 0) * residents) / 1_000_000));
      const over = Math.max(1, event.overDays ?? 1);
      let seeded = 0;
      for (let k = 0; k < count; k++) {
        const d = districts[Math.floor(random.float() * districts.length)];
        const members = pop.districts.members.subarray(pop.districts.start[d], pop.districts.start[d + 1]);
        if (members.length === 0) continue;
        const person = members[Math.floor(random.float() * members.length)];
        // Spread over the days: later seeds are infected on their own day.
        if (
          infect(state, person, day + (k % over), -1, SETTING.seed, sim.options.parameters.disease, random)
        ) {
          seeded++;
        }
      }
      return { event, at, note: `${seeded} hidden infections seeded over ${over} day(s)` };
    }
    case 'lockdown':
      for (const d of districtIndexes(event.districts)) state.setArea(d, AREA.lockdown, day);
      return {
        event,
        at,
        note: `static management (静态管理) in ${districtIndexes(event.districts).length} district(s)`,
      };
    case 'three_zones':
      // Places are designated by their positives (sealed / controlled); the rest of a locked-down district is precaution.
      state.controls.zones = true;
      for (let d = 0; d < state.area.length; d++) {
        if (state.area[d] === AREA.lockdown) state.setArea(d, AREA.precaution, day);
      }
      return {
        event,
        at,
        note: 'three zones (三区): sealed and controlled places by their positives, the rest precaution',
      };
    case 'reopen':
      for (const d of districtIndexes(event.districts)) state.setArea(d, AREA.normal, day);
      return {
        event,
        at,
        note: `normal life resumes in ${districtIndexes(event.districts).length} district(s)`,
      };
    case 'round': {
      const districts = event.districts?.length ? districtIndexes(event.districts) : [];
      const round: PlannedRound = {
        key: `round:${day}:${minute}`,
        kind: 'screening',
        name: event.name ?? 'screening round',
        districts,
        firstRound: event.firstRound ?? false,
        startMinute: minute,
      };
      return {
        event,
        at,
        round,
        note: `screening round "${round.name}" over ${districts.length || 'all'} district(s)`,
      };
    }
    case 'lab_outage':
      sim.labs.outage(at, event.hours, event.share);
      return {
        event,
        at,
        note: `labs lose ${Math.round(event.share * 100)}% of capacity for ${event.hours} h`,
      };
    case 'labs':
      sim.labs.setInService(event.share);
      return { event, at, note: `labs in service: ${sim.labs.dailyCapacity()} tubes a day` };
    case 'beds':
      sim.logistics.open(event.facilityKind, event.share);
      return {
        event,
        at,
        note: `${event.facilityKind} beds open: ${sim.logistics.bedsOpen(event.facilityKind)}`,
      };
    case 'transfers':
      sim.logistics.perMillion = event.perMillion;
      return { event, at, note: `transfer capacity ${event.perMillion} people a day per million residents` };
    case 'rule_set': {
      if (sim.options.pinnedRuleSet) {
        return { event, at, note: `rule set stays ${sim.options.pinnedRuleSet} (pinned)` };
      }
      const next = simulationRules(sim.options.ruleSet(event.name));
      state.rules = next;
      return { event, at, note: `rule set ${event.name}` };
    }
    case 'controls':
      if (event.zones != null) state.controls.zones = event.zones;
      if (event.quarantine != null) state.controls.quarantine = event.quarantine;
      if (event.tracing != null) state.controls.tracing = event.tracing;
      return {
        event,
        at,
        note: `controls: zones ${state.controls.zones}, quarantine ${state.controls.quarantine}, tracing ${state.controls.tracing}`,
      };
  }
}
