/**
 * 转 → 收: transfer teams move cases to shelter hospitals (方舱) or designated hospitals and close
 * contacts to quarantine hotels, within the day's transfer capacity and the beds open — a supply
 * that grows as the scenario opens facilities. Whoever is not moved today waits at home (where
 * they can still infect their household), so a bed shortage feeds the epidemic as it did in
 * April 2022. Discharges free beds each morning.
 */
import { DRAW, keyedUniform } from './hash.ts';
import type { ModelParameters } from './parameters.ts';
import type { SimFacilityRecord } from './population.ts';
import { CASE, NEVER, QUARANTINE, type SimState } from './state.ts';

export const CASE_FACILITIES = ['shelter_hospital', 'designated_hospital'] as const;
export const CONTACT_FACILITIES = ['quarantine_hotel', 'observation_point'] as const;

export interface Movement {
  person: number;
  kind: 'case' | 'contact';
  facilityKind: string;
  /** Absolute minute. */
  at: number;
}

interface Waiting {
  person: number;
  kind: 'case' | 'contact';
  readyAt: number;
}

export class Logistics {
  readonly bedsRegistered: Record<string, number> = {};
  readonly openShare: Record<string, number>;
  readonly occupied: Record<string, number> = {};
  perMillion: number;
  private waiting: Waiting[] = [];
  private stays: { person: number; kind: 'case' | 'contact'; facilityKind: string; until: number }[] = [];
  private readonly facilityOf = new Map<number, string>();

  constructor(
    facilities: readonly SimFacilityRecord[],
    private readonly state: SimState,
    private readonly params: ModelParameters,
    private readonly seed: number,
  ) {
    for (const f of facilities) this.bedsRegistered[f.kind] = (this.bedsRegistered[f.kind] ?? 0) + f.beds;
    this.openShare = { ...params.response.openBedShare };
    this.perMillion = params.response.transfersPerMillion;
  }

  open(kind: string, share: number): void {
    this.openShare[kind] = Math.max(0, Math.min(1, share));
  }

  bedsOpen(kind?: string): number {
    const kinds = kind ? [kind] : Object.keys(this.bedsRegistered);
    return kinds.reduce(
      (s, k) => s + Math.floor((this.bedsRegistered[k] ?? 0) * (this.openShare[k] ?? 0)),
      0,
    );
  }

  bedsOccupied(): number {
    return Object.values(this.occupied).reduce((s, n) => s + n, 0);
  }

  waitingCount(kind: 'case' | 'contact'): number {
    return this.waiting.filter((w) => w.kind === kind).length;
  }

  enqueue(person: number, kind: 'case' | 'contact', readyAt: number): void {
    this.waiting.push({ person, kind, readyAt });
  }

  /** Morning discharges: isolation served, quarantine over. */
  discharge(day: number): Movement[] {
    const out: Movement[] = [];
    this.stays = this.stays.filter((s) => {
      if (s.until > day) return true;
      this.occupied[s.facilityKind]--;
      if (s.kind === 'case') {
        this.state.caseStatus[s.person] = CASE.discharged;
        this.state.dischargeDay[s.person] = day;
      } else this.state.inFacility[s.person] = 0;
      out.push({ person: s.person, kind: s.kind, facilityKind: s.facilityKind, at: day * 1440 + 9 * 60 });
      return false;
    });
    return out;
  }

  /** The day's transfers: cases first, then contacts, in the order they became ready. */
  transfer(day: number): Movement[] {
    const state = this.state;
    const pop = state.population;
    const capacity = Math.max(1, Math.round((this.perMillion * pop.size) / 1_000_000));
    const start = day * 1440 + 8 * 60;
    const end = (day + 1) * 1440;
    const step = (14 * 60) / capacity;
    // Contacts whose quarantine ended while they waited served it at home: they leave the queue.
    this.waiting = this.waiting.filter((w) =>
      w.kind === 'case'
        ? state.caseStatus[w.person] === CASE.waiting
        : state.quarantineUntil[w.person] > day &&
          state.inFacility[w.person] === 0 &&
          state.caseStatus[w.person] === CASE.none,
    );
    this.waiting.sort((a, b) =>
      a.kind === b.kind ? a.readyAt - b.readyAt || a.person - b.person : a.kind === 'case' ? -1 : 1,
    );
    const out: Movement[] = [];
    let slot = start;
    const left: Waiting[] = [];
    for (const w of this.waiting) {
      const at = Math.max(slot, w.readyAt);
      const facilityKind = out.length < capacity && at < end ? this.bedFor(w) : null;
      if (!facilityKind) {
        left.push(w);
        continue;
      }
      slot = at + step;
      this.occupied[facilityKind] = (this.occupied[facilityKind] ?? 0) + 1;
      if (w.kind === 'case') {
        state.caseStatus[w.person] = CASE.admitted;
        const [lo, hi] = this.params.disease.isolationDays;
        const stay = lo + Math.floor(keyedUniform(this.seed, DRAW.everyN, w.person, day) * (hi - lo + 1));
        this.stays.push({ person: w.person, kind: 'case', facilityKind, until: day + stay });
      } else {
        state.inFacility[w.person] = 1;
        this.stays.push({
          person: w.person,
          kind: 'contact',
          facilityKind,
          until: state.quarantineUntil[w.person],
        });
      }
      out.push({ person: w.person, kind: w.kind, facilityKind, at });
    }
    this.waiting = left;
    return out;
  }

  private bedFor(w: Waiting): string | null {
    const state = this.state;
    const free = (kind: string) => this.bedsOpen(kind) - (this.occupied[kind] ?? 0) > 0;
    if (w.kind === 'contact') {
      if (
        state.quarantineSetting[w.person] !== QUARANTINE.central ||
        state.quarantineFrom[w.person] === NEVER
      ) {
        return null;
      }
      return CONTACT_FACILITIES.find(free) ?? null;
    }
    const needsHospital =
      state.population.age[w.person] >= 80 ||
      keyedUniform(this.seed, DRAW.everyN, w.person, -1) < this.params.disease.hospitalShare;
    const order = needsHospital
      ? ['designated_hospital', 'shelter_hospital']
      : ['shelter_hospital', 'designated_hospital'];
    return order.find(free) ?? null;
  }
}
