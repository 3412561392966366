/**
 * 送 → 检: the day's tubes travel in transport boxes (one box per site and run: the noon run for
 * tubes closed by 12:00, the evening run for the rest), and each lab works through its queue at
 * its daily capacity, single tubes that decide cases first. What a lab cannot finish today is a
 * backlog tomorrow; an outage slows or stops labs for its hours. Time is absolute minutes from the
 * scenario's first midnight.
 */
import { samplePositive, sampleCt } from './disease.ts';
import { DRAW, keyedUniform } from './hash.ts';
import type { DiseaseParameters } from './parameters.ts';
import type { SimTube } from './sampling.ts';
import type { LabRecordView } from './sites.ts';
import type { SimState } from './state.ts';

export const DAY_MINUTES = 1440;
/** Hours from the start of a tube's analysis to its result (extraction + PCR). */
const ANALYSIS_MINUTES = 180;
/** Tubes closed by noon that make a site send the noon run. */
const NOON_RUN_MIN_TUBES = 50;
const RUNS = [
  { closesBy: 12 * 60, seal: 12 * 60, dispatch: 12 * 60 + 15, receive: 13 * 60 + 30 },
  { closesBy: DAY_MINUTES, seal: 20 * 60 + 30, dispatch: 20 * 60 + 45, receive: 22 * 60 },
];

export interface SimBox {
  code: string;
  siteId: number;
  labOrgId: number;
  tubes: SimTube[];
  /** Absolute minutes. */
  sealedAt: number;
  dispatchedAt: number;
  receivedAt: number;
}

export type TubeOutcome = 'negative' | 'positive' | 'invalid';

export interface TubeResult {
  tube: SimTube;
  sampledDay: number;
  labOrgId: number;
  resultAt: number;
  outcome: TubeOutcome;
  ct: { orf1ab: number; n: number } | null;
}

interface QueuedTube {
  tube: SimTube;
  day: number;
  receivedAt: number;
}

interface Lab {
  minutesPerTube: number;
  cursor: number;
  /** FIFO per priority. */
  queues: QueuedTube[][];
  heads: number[];
}

export class LabNetwork {
  private readonly labs = new Map<number, Lab>();
  private pending: TubeResult[] = [];
  private outages: { from: number; until: number; share: number }[] = [];
  /** Share of the registry's lab capacity in service (labs from other provinces came in April 2022). */
  private inService = 1;

  constructor(
    labs: readonly LabRecordView[],
    private readonly state: SimState,
    private readonly disease: DiseaseParameters,
    private readonly seed: number,
  ) {
    for (const lab of [...labs].sort((a, b) => a.organisationId - b.organisationId)) {
      this.labs.set(lab.organisationId, {
        minutesPerTube: DAY_MINUTES / Math.max(1, lab.dailyCapacity),
        cursor: 0,
        queues: [[], [], []],
        heads: [0, 0, 0],
      });
    }
  }

  /** Tubes per day the labs can test, all of them, at the share in service. */
  dailyCapacity(): number {
    let sum = 0;
    for (const lab of this.labs.values()) sum += DAY_MINUTES / lab.minutesPerTube;
    return Math.round(sum * this.inService);
  }

  setInService(share: number): void {
    this.inService = Math.max(0.01, Math.min(1, share));
  }

  outage(from: number, hours: number, share: number): void {
    this.outages.push({ from, until: from + hours * 60, share: Math.min(1, Math.max(0, share)) });
  }

  /**
   * Boxes the day's tubes into the noon and evening runs and queues them at their labs. A site
   * with few tubes by noon keeps them for the evening run: a courier does not come for a handful.
   */
  receive(day: number, dayCode: string, prefix: string, tubes: readonly SimTube[]): SimBox[] {
    const boxes = new Map<string, SimBox>();
    const base = day * DAY_MINUTES;
    const morning = new Map<number, number>();
    for (const tube of tubes) {
      if (tube.minutes[tube.minutes.length - 1] < RUNS[0].closesBy) {
        morning.set(tube.siteId, (morning.get(tube.siteId) ?? 0) + 1);
      }
    }
    for (const tube of tubes) {
      const last = tube.minutes[tube.minutes.length - 1];
      const run = last < RUNS[0].closesBy && (morning.get(tube.siteId) ?? 0) >= NOON_RUN_MIN_TUBES ? 0 : 1;
      const key = `${tube.siteId}:${run}`;
      let box = boxes.get(key);
      if (!box) {
        const r = RUNS[run];
        box = {
          code: `${prefix}B${dayCode}${String(tube.siteId).padStart(5, '0')}${run + 1}`,
          siteId: tube.siteId,
          labOrgId: tube.labOrgId,
          tubes: [],
          sealedAt: base + r.seal,
          dispatchedAt: base + r.dispatch,
          receivedAt: base + r.receive,
        };
        boxes.set(key, box);
      }
      box.tubes.push(tube);
      this.labs.get(tube.labOrgId)?.queues[tube.priority].push({ tube, day, receivedAt: box.receivedAt });
    }
    return [...boxes.values()];
  }

  /**
   * Runs every lab up to minute `end` of the run; returns the results that come out before it, in
   * order. Called in steps (before a day's sampling, then to the day's end) it gives the same
   * results as in one call: tubes are taken only once they have been received.
   */
  workUntil(end: number): TubeResult[] {
    for (const [labOrgId, lab] of this.labs) {
      let t = lab.cursor;
      while (t < end) {
        let next: QueuedTube | undefined;
        let p = 0;
        let earliest = Infinity;
        for (; p < lab.queues.length; p++) {
          const head = lab.queues[p][lab.heads[p]];
          if (!head) continue;
          if (head.receivedAt <= t) {
            next = head;
            break;
          }
          earliest = Math.min(earliest, head.receivedAt);
        }
        if (!next) {
          if (earliest === Infinity || earliest >= end) break;
          t = earliest;
          continue;
        }
        lab.heads[p]++;
        t = this.finish(t, lab.minutesPerTube / this.inService);
        this.pending.push(this.result(next, labOrgId, t + ANALYSIS_MINUTES));
      }
      lab.cursor = Math.max(t, lab.cursor);
      this.compact(lab);
    }
    this.pending.sort((a, b) => a.resultAt - b.resultAt || (a.tube.code < b.tube.code ? -1 : 1));
    const due = this.pending.filter((r) => r.resultAt < end);
    this.pending = this.pending.filter((r) => r.resultAt >= end);
    return due;
  }

  /** Tubes received but not yet resulted. */
  backlog(): number {
    let n = this.pending.length;
    for (const lab of this.labs.values()) lab.queues.forEach((q, p) => (n += q.length - lab.heads[p]));
    return n;
  }

  /** When a tube started at `t` is done, slowed (or stopped) by any outage it runs into. */
  private finish(t: number, minutes: number): number {
    // Work through the timeline: at full speed outside outages, at (1 - share) inside one.
    let left = minutes;
    let now = t;
    for (let guard = 0; guard < 1000 && left > 1e-9; guard++) {
      const inside = this.outages.find((o) => now >= o.from && now < o.until);
      const rate = inside ? 1 - inside.share : 1;
      const nextEdge = Math.min(
        inside ? inside.until : Infinity,
        ...this.outages.filter((o) => o.from > now).map((o) => o.from),
      );
      if (rate <= 0) {
        now = nextEdge;
        continue;
      }
      if (now + left / rate <= nextEdge) return now + left / rate;
      left -= (nextEdge - now) * rate;
      now = nextEdge;
    }
    return now + left;
  }

  private result(q: QueuedTube, labOrgId: number, resultAt: number): TubeResult {
    const { tube, day } = q;
    // Keyed by site and serial, not by the code: a run's barcode prefix must not change its outcome.
    if (
      keyedUniform(this.seed, DRAW.invalid, tube.siteId * 65_536 + tube.serial, day) <
      this.disease.invalidTubeShare
    ) {
      return { tube, sampledDay: day, labOrgId, resultAt, outcome: 'invalid', ct: null };
    }
    let ct: { orf1ab: number; n: number } | null = null;
    for (const person of tube.members) {
      if (!samplePositive(this.state, person, day, this.disease, this.seed)) continue;
      const c = sampleCt(this.state, person, day, this.seed);
      if (!ct || c.orf1ab < ct.orf1ab) ct = c;
    }
    return { tube, sampledDay: day, labOrgId, resultAt, outcome: ct ? 'positive' : 'negative', ct };
  }

  private compact(lab: Lab): void {
    lab.queues.forEach((q, p) => {
      if (lab.heads[p] > 10_000) {
        lab.queues[p] = q.slice(lab.heads[p]);
        lab.heads[p] = 0;
      }
    });
  }
}
