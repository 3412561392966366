import type { Principal } from '../../domain/access/principal.ts';
import { evaluateClearing, type ClearingStatus } from '../../domain/cases/clearing.ts';
import {
  sameDayByDistrict,
  sameDayFigures,
  type SameDayFigures,
  type SameDayOrder,
} from '../../domain/cases/same-day.ts';
import { DomainError } from '../../domain/errors.ts';
import type { SameDaySection } from '../../domain/rules/schema.ts';
import { addDays, dayOf, endOfDay, startOfDay, type CalendarDay } from '../../domain/time/calendar.ts';
import { caseCountsByClass, communityCounts, ordersFoundOn } from '../../store/cases/figures.ts';
import type { AppContext } from '../context.ts';
import type { RegionNode } from '../registry/region-directory.ts';
import { getActiveRuleSet } from '../kernel/rule-sets.ts';
import { regionFilter } from './scope.ts';

/**
 * The two figures the response is judged by: 社会面清零 per district, and 日清日结 per day and
 * district. Aggregates only (no person), so a street user sees the status of the unit around
 * their street.
 */
function regionUser(ctx: AppContext, principal: Principal): RegionNode {
  if (principal.scope.kind !== 'region') {
    throw new DomainError('forbidden', 'these figures are shown to region-scoped users');
  }
  const region = ctx.regions.get(principal.scope.regionId);
  if (!region) {
    throw new DomainError('forbidden', `region ${principal.scope.regionId} of your scope does not exist`);
  }
  return region;
}

/** The clearing units (districts by default) that overlap the user's region. */
function unitsInView(
  ctx: AppContext,
  region: RegionNode,
  unit: 'city' | 'district' | 'street',
): RegionNode[] {
  if (unit === 'city') return [ctx.regions.city()!].filter(Boolean);
  const all = ctx.regions.all().filter((r) => r.level === unit);
  return all
    .filter((u) => ctx.regions.isWithin(u.id, region.id) || ctx.regions.isWithin(region.id, u.id))
    .sort((a, b) => a.id - b.id);
}

export interface UnitClearing extends ClearingStatus {
  regionId: number;
  name: string;
  population: number;
  /** Community positives sampled today so far (the day is not over, so it does not count yet). */
  todaySoFar: number;
}

export interface ClearingReport {
  unit: 'city' | 'district' | 'street';
  throughDay: CalendarDay;
  ruleSet: string;
  units: UnitClearing[];
}

/** Status through `throughDay` (default: yesterday, the last complete day), looking back `lookbackDays`. */
export async function clearingReport(
  ctx: AppContext,
  principal: Principal,
  options: { throughDay?: CalendarDay; lookbackDays?: number } = {},
): Promise<ClearingReport> {
  const region = regionUser(ctx, principal);
  const rules = await getActiveRuleSet(ctx);
  const { unit } = rules.community;
  const today = dayOf(ctx.clock.now(), ctx.config.timeZone);
  const throughDay = options.throughDay ?? addDays(today, -1);
  const lookback = options.lookbackDays ?? 28;
  const firstDay = addDays(throughDay, -(lookback - 1));
  const lastDay = today > throughDay ? today : throughDay;
  const counts = await communityCounts(ctx.store.db, unit, firstDay, lastDay);
  const byUnit = new Map<number, Map<string, number>>();
  for (const c of counts) {
    const m = byUnit.get(c.regionId) ?? new Map<string, number>();
    m.set(c.day, c.n);
    byUnit.set(c.regionId, m);
  }
  const units = unitsInView(ctx, region, unit).map((u) => {
    const key = unit === 'city' ? 0 : u.id;
    const days = byUnit.get(key) ?? new Map<string, number>();
    const status = evaluateClearing({
      firstDay,
      throughDay,
      counts: days,
      population: u.population,
      section: rules.community,
    });
    return {
      regionId: u.id,
      name: u.name,
      population: u.population,
      ...status,
      todaySoFar: days.get(today) ?? 0,
    };
  });
  return { unit, throughDay, ruleSet: `${rules.name}@${rules.version}`, units };
}

export interface SameDayReport {
  day: CalendarDay;
  /** Whether 24:00 of the day has passed: until then "same day" is still open. */
  dayOver: boolean;
  total: SameDayFigures;
  districts: (SameDayFigures & { districtId: number; name: string })[];
  /** Positives confirmed on the day, found inside control vs in the community. */
  classification: { districtId: number; insideControl: number; community: number }[];
}

/** Which orders 日清日结 counts, by the rule set's `appliesTo`. */
function countsFor(section: SameDaySection, kind: 'case' | 'contact', need: string): boolean {
  if (kind === 'case') return section.appliesTo.includes('positive');
  return (section.appliesTo as readonly string[]).includes(need);
}

export async function sameDayReport(
  ctx: AppContext,
  principal: Principal,
  day?: CalendarDay,
): Promise<SameDayReport> {
  regionUser(ctx, principal);
  const tz = ctx.config.timeZone;
  const now = ctx.clock.now();
  const theDay = day ?? dayOf(now, tz);
  const end = endOfDay(theDay, tz);
  const rules = await getActiveRuleSet(ctx);
  const filter = regionFilter(ctx, principal);
  const rows = await ordersFoundOn(ctx.store.db, { from: startOfDay(theDay, tz), before: end }, filter);
  const orders: SameDayOrder[] = rows
    .filter((r) => countsFor(rules.sameDay, r.kind, r.need))
    .map((r) => ({
      districtId: r.districtId,
      kind: r.kind,
      foundAt: r.foundAt,
      pickedUpAt: r.pickedUpAt,
      admittedAt: r.admittedAt,
      cancelled: r.status === 'cancelled',
    }));
  const byDistrict = sameDayByDistrict(orders, end, now);
  const split = new Map<number, { districtId: number; insideControl: number; community: number }>();
  for (const c of await caseCountsByClass(ctx.store.db, theDay, filter)) {
    const s = split.get(c.districtId) ?? { districtId: c.districtId, insideControl: 0, community: 0 };
    if (c.classification === 'community') s.community += c.n;
    else s.insideControl += c.n;
    split.set(c.districtId, s);
  }
  return {
    day: theDay,
    dayOver: now >= end,
    total: sameDayFigures(orders, end, now),
    districts: [...byDistrict].map(([districtId, f]) => ({
      districtId,
      name: ctx.regions.get(districtId)?.name ?? String(districtId),
      ...f,
    })),
    classification: [...split.values()].sort((a, b) => a.districtId - b.districtId),
  };
}
