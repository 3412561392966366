import type { DayOutcome } from '../../domain/simulation/engine.ts';
import { DAY_MINUTES, type SimBox, type TubeResult } from '../../domain/simulation/lab.ts';
import type { Movement } from '../../domain/simulation/logistics.ts';
import type { ActorContext } from './actors/actor-context.ts';
import { decideProposals, enactEvent, openRounds, type RegisteredBeds } from './actors/command.ts';
import { dispatchBoxes, postResults, receiveBoxes, sealBoxes } from './actors/labs.ts';
import { closeShortTubes, newScanLedger, uploadScans } from './actors/samplers.ts';
import { matchCoPresence, traceCases, uploadCheckins } from './actors/tracers.ts';
import { discharge, moveToFacilities } from './actors/transfers.ts';

/**
 * One simulated day as a timetable of actor tasks at local times: what must come first comes
 * first (a round before its scans, a box before its receipt, a result before the case it makes,
 * the case before its investigation and transfer), and tasks run one after another, each after
 * the server has digested the previous one — which is what makes a seed's run repeatable even
 * through HTTP. The times follow a 2022 day: sampling from 07:00, boxes at noon and in the
 * evening, results through the afternoon and night, transfers in three waves, tracing after lunch.
 */
export interface Task {
  minute: number;
  label: string;
  run(): Promise<void>;
}

const h = (hours: number, minutes = 0) => hours * 60 + minutes;

export function dayTasks(
  actors: ActorContext,
  outcome: DayOutcome,
  registered: RegisteredBeds,
  districtOfSite: Map<number, number>,
): Task[] {
  const { actions } = outcome;
  const day = actions.day;
  const base = day * DAY_MINUTES;
  const tasks: Task[] = [];
  const at = (minute: number, label: string, run: () => Promise<void>) => tasks.push({ minute, label, run });
  const ledger = newScanLedger();
  // Single tubes made for refused members are resulted with their tube, which may come out days later.
  let moved = 0;
  const singlesByTube = () => {
    const map = actors.state.singlesByTube;
    for (const s of ledger.singles.slice(moved)) {
      map.set(s.tube.code, [...(map.get(s.tube.code) ?? []), { person: s.person, code: s.code }]);
    }
    moved = ledger.singles.length;
    return map;
  };

  at(0, 'new day', async () => actors.state.roundIds.clear());
  for (const applied of actions.events) {
    at(applied.at - base, `event ${applied.event.kind}`, () =>
      enactEvent(actors, applied, day, actions.date, registered),
    );
  }
  // The morning's step-downs (proposed at midnight) are decided before sampling starts, so a place
  // is sampled by the level it has that day — the level the model gives it.
  at(h(6), 'zone decisions', () => decideProposals(actors));
  at(h(6, 30), 'rounds', () => openRounds(actors, day, actions.date, actions.rounds));
  const discharges = actions.discharges;
  if (discharges.length > 0) {
    at(h(9), 'discharges', () => discharge(actors, discharges, actors.instant(day, h(9))));
  }

  const runs = [
    { upload: h(12), from: 0, until: h(12), seal: h(12), dispatch: h(12, 15), receive: h(13, 30) },
    { upload: h(20), from: h(12), until: DAY_MINUTES, seal: h(20, 30), dispatch: h(20, 45), receive: h(22) },
  ];
  for (const r of runs) {
    const boxes: SimBox[] = actions.boxes.filter((b) => b.sealedAt - base === r.seal);
    const boxTubes = boxes.flatMap((b) => b.tubes);
    let sealed: SimBox[] = [];
    at(r.upload, 'scans', () =>
      uploadScans(actors, { day, tubes: actions.tubes, from: r.from, until: r.until }, ledger),
    );
    at(r.seal, 'boxes sealed', async () => {
      await closeShortTubes(actors, boxTubes, ledger);
      sealed = await sealBoxes(actors, boxes, ledger);
    });
    at(r.dispatch, 'boxes dispatched', () => dispatchBoxes(actors, sealed, ledger, districtOfSite));
    at(r.receive, 'boxes received', () => receiveBoxes(actors, sealed, ledger));
  }

  // Labs upload their results every three hours, at the end of the slot they came out in.
  const byHour = new Map<number, TubeResult[]>();
  for (const r of actions.results) {
    const minute = Math.min(DAY_MINUTES - 1, (Math.floor((r.resultAt - base) / 180) + 1) * 180);
    byHour.set(minute, [...(byHour.get(minute) ?? []), r]);
  }
  for (const [minute, results] of [...byHour].sort((a, b) => a[0] - b[0])) {
    at(minute, 'results', () => postResults(actors, results, singlesByTube()));
  }

  if (actions.traced.length > 0) at(h(14), 'tracing', () => traceCases(actors, actions.traced));
  for (const [until, label] of [
    [h(12), 'transfers (morning)'],
    [h(18), 'transfers (afternoon)'],
    [DAY_MINUTES - 10, 'transfers (evening)'],
  ] as const) {
    const from = until === h(12) ? 0 : until === h(18) ? h(12) : h(18);
    const wave: Movement[] = actions.transfers.filter(
      (m) => m.at - base >= from && m.at - base < (until === DAY_MINUTES - 10 ? DAY_MINUTES : until),
    );
    if (wave.length > 0) at(until, label, () => moveToFacilities(actors, wave));
  }
  if (actions.visits.length > 0) {
    at(h(22, 30), 'check-ins', () => uploadCheckins(actors, day, actions.visits));
    at(h(22, 40), 'co-presence match', () => matchCoPresence(actors, actions.date));
  }
  // Stable: equal times keep the order above (an event before the round it calls, scans before boxes).
  return tasks
    .map((t, i) => ({ t, i }))
    .sort((a, b) => a.t.minute - b.t.minute || a.i - b.i)
    .map((x) => x.t);
}
