import { Random } from '../../src/domain/random.ts';
import type { ZonesSection } from '../../src/domain/rules/zones-schema.ts';
import { addDays, type CalendarDay } from '../../src/domain/time/calendar.ts';
import { applyDesignate, applyEnd, applyHold, applyNotePositive } from '../../src/domain/zones/apply.ts';
import { decideOnPositive, isActive, sealUnitOf } from '../../src/domain/zones/on-positive.ts';
import { applyProposal, proposeZoneTransitions } from '../../src/domain/zones/proposals.ts';
import type {
  PositiveResident,
  Residence,
  ZoneChange,
  ZoneDesignation,
} from '../../src/domain/zones/types.ts';

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
  const byPlace = new Map<number, ZoneDesignation>();
  const byId = new Map<number, ZoneDesignation>();
  const positives = new Map<number, PositiveResident[]>();
  const missedTests = new Set<number>();
  let nextId = 1;
  // Held buildings by the compound designation holding them, kept as designations are saved.
  const holdIndex = new Map<number, Set<number>>();
  const save = (d: Omit<ZoneDesignation, 'id'> & { id: number | null }): ZoneDesignation => {
    const stored = { ...d, id: d.id ?? nextId++ } as ZoneDesignation;
    const previous = byPlace.get(stored.placeId);
    if (previous?.hold) holdIndex.get(previous.hold.compoundDesignationId)?.delete(stored.placeId);
    if (stored.hold) {
      const set = holdIndex.get(stored.hold.compoundDesignationId) ?? new Set<number>();
      set.add(stored.placeId);
      holdIndex.set(stored.hold.compoundDesignationId, set);
    }
    byPlace.set(stored.placeId, stored);
    byId.set(stored.id, stored);
    return stored;
  };
  const holdsOf = (compoundId: number) =>
    [...(holdIndex.get(compoundId) ?? [])].map((placeId) => byPlace.get(placeId)!);
  const casesByDay = new Map<CalendarDay, WaveCase[]>();
  for (const c of cases) {
    const list = casesByDay.get(c.sampledDay) ?? [];
    list.push(c);
    casesByDay.set(c.sampledDay, list);
  }

  for (let day = firstDay; day <= lastDay; day = addDays(day, 1)) {
    if (day < lastDay) morning(day);
    for (const c of casesByDay.get(day) ?? []) {
      const unitId = sealUnitOf(c.residence, zones);
      const p: PositiveResident = {
        caseId: c.caseId,
        buildingId: c.residence.buildingId,
        sampledDay: c.sampledDay,
      };
      for (const place of new Set([unitId, c.residence.buildingId])) {
        const list = positives.get(place) ?? [];
        list.push(p);
        positives.set(place, list);
      }
      const unit = byPlace.get(unitId) ?? null;
      const building =
        unitId === c.residence.buildingId ? null : (byPlace.get(c.residence.buildingId) ?? null);
      for (const change of decideOnPositive(
        zones,
        { caseId: c.caseId, residence: c.residence, sampledDay: c.sampledDay },
        { unit, building },
        day,
      )) {
        apply(change, day);
      }
    }
  }
  return { designations: [...byPlace.values()], missedTests };

  function apply(change: ZoneChange, day: CalendarDay): void {
    switch (change.kind) {
      case 'designate': {
        const saved = save(applyDesignate(byPlace.get(change.placeId) ?? null, change, 0));
        for (const held of holdsOf(saved.id)) save(applyEnd(held, zones.levels.precaution.phases[0], day, 0));
        return;
      }
      case 'note_positive': {
        const d = byId.get(change.designationId);
        if (d) save(applyNotePositive(d, change.positiveDay));
        return;
      }
      case 'hold_building':
        save(applyHold(byPlace.get(change.buildingId) ?? null, change, 0));
        return;
      case 'end': {
        const d = byId.get(change.designationId);
        if (d) save(applyEnd(d, zones.levels.precaution.phases[0], day, 0));
      }
    }
  }

  function morning(day: CalendarDay): void {
    for (const d of [...byPlace.values()]) {
      if (!isActive(d)) continue;
      const { proposal } = proposeZoneTransitions(
        zones,
        d,
        {
          positives: positives.get(d.placeId) ?? [],
          heldBuildingIds: [...(holdIndex.get(d.id) ?? [])],
          // Most places have everyone negative on their test day; about one in forty misses one.
          coverage: () => {
            if (missedTests.has(d.id)) return { residents: 100, negative: 99 };
            if (r.float() < 0.025) {
              missedTests.add(d.id);
              return { residents: 100, negative: 99 };
            }
            return { residents: 100, negative: 100 };
          },
        },
        day,
      );
      if (proposal) {
        missedTests.delete(d.id);
        save(applyProposal(zones, d, proposal, day, 0));
      }
    }
  }
}

/** Shorthand used by the loader: the active designations that were not held buildings. */
export function activeUnits(sim: SimulatedZones): ZoneDesignation[] {
  return sim.designations.filter((d) => isActive(d) && !d.hold);
}
