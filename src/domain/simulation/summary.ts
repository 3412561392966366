/** The day's figures, counted from the state after the day's work (see figures.ts for the columns). */
import type { OutbreakSimulation } from './engine.ts';
import type { DayFigures } from './figures.ts';
import type { TubeResult } from './lab.ts';
import type { Movement } from './logistics.ts';
import type { ResultEffects, TracedCase } from './response.ts';
import { LEVEL } from './rules-view.ts';
import type { SimTube } from './sampling.ts';

export interface DayWork {
  date: string;
  infections: number;
  tubes: readonly SimTube[];
  results: readonly TubeResult[];
  effects: ResultEffects;
  traced: readonly TracedCase[];
  transfers: readonly Movement[];
  reference: number | undefined;
}

export function summariseDay(sim: OutbreakSimulation, work: DayWork): DayFigures {
  const state = sim.state;
  const day = sim.day - 1;
  let sealed = 0;
  let controlled = 0;
  let inQuarantine = 0;
  for (let p = 0; p < sim.population.size; p++) {
    const level = state.designatedResidence(p, day);
    if (level >= LEVEL.sealed) sealed++;
    else if (level === LEVEL.controlled) controlled++;
  }
  for (const p of state.quarantined) if (state.inQuarantine(p, day)) inQuarantine++;
  const contacts = work.traced.flatMap((t) => t.contacts);
  const inside = work.effects.cases.filter((c) => c.insideControl).length;
  return {
    date: work.date,
    infections: work.infections,
    positives: work.effects.cases.length,
    reported: work.effects.cases.length,
    insideControl: inside,
    community: work.effects.cases.length - inside,
    sampled: work.tubes.reduce((s, t) => s + t.members.length, 0),
    tubes: work.tubes.length,
    tubesResulted: work.results.length,
    labBacklog: sim.labs.backlog(),
    poolPositiveTubes: work.effects.poolPositives,
    closeContacts: contacts.filter((c) => c.degree === 'close').length,
    secondaryContacts: contacts.filter((c) => c.degree === 'secondary').length,
    inQuarantine,
    sealedResidents: sealed,
    controlledResidents: controlled,
    transfers: work.transfers.length,
    admissions: work.transfers.filter((t) => t.kind === 'case').length,
    waitingTransfer: sim.logistics.waitingCount('case'),
    bedsOpen: sim.logistics.bedsOpen(),
    bedsOccupied: sim.logistics.bedsOccupied(),
    reference2022: work.reference != null ? Math.round(work.reference * sim.options.scale * 100) / 100 : null,
  };
}
