import { bedForecast } from '../../../app/cases/facilities.ts';
import { forecastDaysToFull } from '../../../domain/cases/forecast.ts';
import { loadBedPools, type PoolRow } from '../../../store/cases/beds.ts';
import type { OverviewArea, SectionSource } from '../area.ts';
import { perChild } from './columns.ts';

/** Facilities are placed by their own district and street; committees hold none. */
function inArea(area: OverviewArea, pool: PoolRow): boolean {
  switch (area.region.level) {
    case 'city':
      return true;
    case 'district':
      return pool.districtId === area.region.id;
    case 'street':
      return pool.streetId === area.region.id;
    case 'committee':
      return false;
  }
}

function childOf(area: OverviewArea, pool: PoolRow): number | null {
  if (area.region.level === 'city') return pool.districtId;
  if (area.region.level === 'district') return pool.streetId;
  return null;
}

/**
 * Beds of the facilities in the area by facility kind (方舱, 定点医院, 隔离酒店, 健康驿站): live
 * totals and use from the cases capability's bed pools, and days until full from its forecast
 * (`bedForecast`: the mean net admissions of the last seven complete days), summed over the
 * area's districts before dividing.
 */
export const bedsSection: SectionSource<'beds'> = {
  key: 'beds',
  async compute(ctx, area) {
    const pools = (
      await loadBedPools(
        ctx.store.db,
        area.region.level === 'city' ? {} : { districtId: area.region.districtId! },
      )
    ).filter((p) => inArea(area, p));
    const forecast = await bedForecast(ctx, pools);
    const kinds = new Map<
      string,
      {
        total: number;
        occupied: number;
        reserved: number;
        free: number;
        net: number;
        admissions: number;
        discharges: number;
      }
    >();
    for (const row of forecast) {
      const k = kinds.get(row.facilityKind) ?? {
        total: 0,
        occupied: 0,
        reserved: 0,
        free: 0,
        net: 0,
        admissions: 0,
        discharges: 0,
      };
      k.total += row.total;
      k.occupied += row.occupied;
      k.reserved += row.reserved;
      k.free += row.free;
      k.admissions += row.admissionsPerDay;
      k.discharges += row.dischargesPerDay;
      kinds.set(row.facilityKind, k);
    }
    const free = new Map<number, number>();
    for (const p of pools) {
      const child = childOf(area, p);
      if (child != null) free.set(child, (free.get(child) ?? 0) + p.free);
    }
    return {
      data: {
        kinds: [...kinds.entries()]
          .sort((a, b) => a[0].localeCompare(b[0]))
          .map(([kind, k]) => ({
            kind,
            total: k.total,
            occupied: k.occupied,
            reserved: k.reserved,
            free: k.free,
            daysToFull: forecastDaysToFull({
              free: k.free,
              admissions: [k.admissions],
              discharges: [k.discharges],
            }).daysToFull,
          })),
      },
      measures:
        area.childColumn && area.region.level !== 'street' ? { bedsFree: perChild(area, free) } : undefined,
    };
  },
};
