/**
 * Where people are sampled and where their tubes go: the sampling sites of each street (door to
 * door for sealed places and quarantine, fixed and mobile points for everyone else), each with
 * its hourly capacity, and each site's lab in its district. A site samples from 07:00; when its
 * capacity for the day runs out (20:00), the rest wait for another day — queues emerge, not
 * scripted.
 */
import type { Population, SimSiteRecord } from './population.ts';

export const SAMPLING_STARTS_MINUTE = 7 * 60;
export const SAMPLING_ENDS_MINUTE = 20 * 60;

export interface LabRecordView {
  organisationId: number;
  districtId: number;
  dailyCapacity: number;
}

export class SiteBook {
  private readonly door: SimSiteRecord[][];
  private readonly open: SimSiteRecord[][];
  private readonly used = new Map<number, number>();
  /** Per district index: its fixed sites, largest first — fever clinics and key-industry testing stations. */
  private readonly stations: SimSiteRecord[][];
  private readonly labOfSite = new Map<number, number>();

  constructor(population: Population, sites: readonly SimSiteRecord[], labs: readonly LabRecordView[]) {
    const streetIndex = new Map(population.streetIds.map((id, i) => [id, i]));
    const count = population.streetIds.length;
    this.door = Array.from({ length: count }, () => []);
    this.open = Array.from({ length: count }, () => []);
    const byDistrict = new Map<number, SimSiteRecord[]>();
    const sorted = [...sites].sort((a, b) => a.id - b.id);
    for (const site of sorted) {
      const s = streetIndex.get(site.streetId);
      if (s != null) (site.kind === 'door_to_door' ? this.door : this.open)[s].push(site);
      push(byDistrict, site.districtId, site);
    }
    // A street without one kind of site borrows the other kind, then its district's.
    const districtOfStreet = new Map<number, number>();
    for (let i = 0; i < population.size; i++) {
      districtOfStreet.set(population.street[i], population.city.districts[population.district[i]].id);
    }
    for (let s = 0; s < count; s++) {
      const fallback = byDistrict.get(districtOfStreet.get(s) ?? -1) ?? sorted;
      if (this.door[s].length === 0) this.door[s] = this.open[s].length > 0 ? this.open[s] : fallback;
      if (this.open[s].length === 0) this.open[s] = this.door[s].length > 0 ? this.door[s] : fallback;
    }
    this.stations = population.city.districts.map((d) => {
      const fixed = (byDistrict.get(d.id) ?? []).filter((site) => site.kind === 'fixed');
      return (fixed.length > 0 ? fixed : (byDistrict.get(d.id) ?? []))
        .slice()
        .sort((a, b) => b.hourlyCapacity - a.hourlyCapacity || a.id - b.id);
    });
    const labsByDistrict = new Map<number, LabRecordView[]>();
    for (const lab of [...labs].sort((a, b) => a.organisationId - b.organisationId)) {
      push(labsByDistrict, lab.districtId, lab);
    }
    const allLabs = [...labs].sort((a, b) => a.organisationId - b.organisationId);
    sorted.forEach((site, k) => {
      const local = labsByDistrict.get(site.districtId) ?? allLabs;
      if (local.length > 0) this.labOfSite.set(site.id, local[k % local.length].organisationId);
    });
  }

  /** A new day: every site's capacity is available again. */
  reset(): void {
    this.used.clear();
  }

  /**
   * The site for a person of street `street` (door to door or not), spread by `spread` (their
   * seal unit, so a compound goes to one site), and the minute they are sampled; null when every
   * candidate is full for the day.
   */
  take(street: number, doorToDoor: boolean, spread: number): { site: SimSiteRecord; minute: number } | null {
    return this.first(doorToDoor ? this.door[street] : this.open[street], spread);
  }

  /**
   * A district testing station (fever clinic, key-industry testing point): people who come on
   * their own go to the district's largest fixed sites, not to their compound's.
   */
  takeStation(district: number): { site: SimSiteRecord; minute: number } | null {
    return this.first(this.stations[district], 0);
  }

  private first(
    candidates: readonly SimSiteRecord[] | undefined,
    spread: number,
  ): { site: SimSiteRecord; minute: number } | null {
    if (!candidates || candidates.length === 0) return null;
    for (let k = 0; k < candidates.length; k++) {
      const site = candidates[(spread + k) % candidates.length];
      const done = this.used.get(site.id) ?? 0;
      const minute = SAMPLING_STARTS_MINUTE + Math.floor((done * 60) / Math.max(1, site.hourlyCapacity));
      if (minute >= SAMPLING_ENDS_MINUTE) continue;
      this.used.set(site.id, done + 1);
      return { site, minute };
    }
    return null;
  }

  labOf(siteId: number): number | undefined {
    return this.labOfSite.get(siteId);
  }
}

function push<T>(map: Map<number, T[]>, key: number, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
