import type { ZonesSection } from '../rules/zones-schema.ts';
import type { CalendarDay } from '../time/calendar.ts';
import { applyDesignate, applyEnd, applyHold, applyNotePositive } from './apply.ts';
import { decideOnPositive, isActive, sealUnitOf } from './on-positive.ts';
import { applyProposal, proposeZoneTransitions } from './proposals.ts';
import { residentZone } from './residents.ts';
import type {
  DayCoverage,
  PositiveResident,
  Residence,
  ZoneChange,
  ZoneDesignation,
  ZoneLevel,
} from './types.ts';

export interface TimelinePositive {
  caseId: string;
  residence: Residence;
  sampledDay: CalendarDay;
}

/**
 * Places' zones played day by day with the domain's own functions, without a database: every
 * step-down the rules allow taken on the morning it falls due, each positive sealing, restarting
 * or holding its place on the day its case is made. What the service does when every proposal is
 * approved at once — for benchmarks that need a city's zones at a given day, and to check that
 * the simulator's model keeps places where Cordon would.
 */
export class ZoneTimeline {
  private readonly byPlace = new Map<number, ZoneDesignation>();
  private readonly byId = new Map<number, ZoneDesignation>();
  private readonly positives = new Map<number, PositiveResident[]>();
  /** Held buildings by the compound designation holding them, kept as designations are saved. */
  private readonly holdIndex = new Map<number, Set<number>>();
  private nextId = 1;

  constructor(private readonly zones: ZonesSection) {}

  /**
   * The morning's step-downs. `coverage` answers "were the residents negative on that day?" for
   * the day-N conditions (undefined: not known, the way out stays closed).
   */
  morning(
    day: CalendarDay,
    coverage: (d: ZoneDesignation, on: CalendarDay) => DayCoverage | undefined,
  ): void {
    for (const d of [...this.byPlace.values()]) {
      if (!isActive(d)) continue;
      const { proposal } = proposeZoneTransitions(
        this.zones,
        d,
        {
          positives: this.positives.get(d.placeId) ?? [],
          heldBuildingIds: [...(this.holdIndex.get(d.id) ?? [])],
          coverage: (on) => coverage(d, on),
        },
        day,
      );
      if (proposal) this.save(applyProposal(this.zones, d, proposal, day, 0));
    }
  }

  /** A positive living in a place, its case made on `day`. */
  positive(p: TimelinePositive, day: CalendarDay): void {
    const zones = this.zones;
    const unitId = sealUnitOf(p.residence, zones);
    const resident: PositiveResident = {
      caseId: p.caseId,
      buildingId: p.residence.buildingId,
      sampledDay: p.sampledDay,
    };
    for (const place of new Set([unitId, p.residence.buildingId])) {
      const list = this.positives.get(place) ?? [];
      list.push(resident);
      this.positives.set(place, list);
    }
    const unit = this.byPlace.get(unitId) ?? null;
    const building =
      unitId === p.residence.buildingId ? null : (this.byPlace.get(p.residence.buildingId) ?? null);
    for (const change of decideOnPositive(zones, p, { unit, building }, day)) this.apply(change, day);
  }

  /** The level a resident of the building has (its own designation and its compound's), precaution when none. */
  residentLevel(residence: Residence): ZoneLevel {
    const covering = [this.byPlace.get(residence.buildingId)];
    if (residence.compoundId != null) covering.push(this.byPlace.get(residence.compoundId));
    return residentZone(covering)?.level ?? 'precaution';
  }

  designations(): ZoneDesignation[] {
    return [...this.byPlace.values()];
  }

  private save(d: Omit<ZoneDesignation, 'id'> & { id: number | null }): ZoneDesignation {
    const stored = { ...d, id: d.id ?? this.nextId++ } as ZoneDesignation;
    const previous = this.byPlace.get(stored.placeId);
    if (previous?.hold) this.holdIndex.get(previous.hold.compoundDesignationId)?.delete(stored.placeId);
    if (stored.hold) {
      const set = this.holdIndex.get(stored.hold.compoundDesignationId) ?? new Set<number>();
      set.add(stored.placeId);
      this.holdIndex.set(stored.hold.compoundDesignationId, set);
    }
    this.byPlace.set(stored.placeId, stored);
    this.byId.set(stored.id, stored);
    return stored;
  }

  private holdsOf(compoundDesignationId: number): ZoneDesignation[] {
    return [...(this.holdIndex.get(compoundDesignationId) ?? [])].map((placeId) =>
      this.byPlace.get(placeId)!,
    );
  }

  private apply(change: ZoneChange, day: CalendarDay): void {
    const open = this.zones.levels.precaution.phases[0];
    switch (change.kind) {
      case 'designate': {
        const saved = this.save(applyDesignate(this.byPlace.get(change.placeId) ?? null, change, 0));
        for (const held of this.holdsOf(saved.id)) this.save(applyEnd(held, open, day, 0));
        return;
      }
      case 'note_positive': {
        const d = this.byId.get(change.designationId);
        if (d) this.save(applyNotePositive(d, change.positiveDay));
        return;
      }
      case 'hold_building':
        this.save(applyHold(this.byPlace.get(change.buildingId) ?? null, change, 0));
        return;
      case 'end': {
        const d = this.byId.get(change.designationId);
        if (d) this.save(applyEnd(d, open, day, 0));
      }
    }
  }
}
