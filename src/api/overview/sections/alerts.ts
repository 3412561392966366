import { sql } from 'kysely';
import type { AppContext } from '../../../app/context.ts';
import type {} from '../../../app/kernel/repositories/kernel-tables.ts';
import { regionRef, type OverviewArea, type SectionSource } from '../area.ts';
import type { AlertSummary } from '../contract.ts';

const LATEST = 10;

function parseIds(json: string): number[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is number => typeof v === 'number') : [];
  } catch {
    return [];
  }
}

/** The most specific region an alert names (its deepest), for display. */
function deepestRegion(ctx: AppContext, ids: readonly number[]) {
  let best: ReturnType<typeof regionRef> | null = null;
  let depth = -1;
  for (const id of ids) {
    const node = ctx.regions.get(id);
    const d = ctx.regions.ancestry(id).length;
    if (node && d > depth) [best, depth] = [regionRef(node), d];
  }
  return best;
}

/**
 * Unresolved alerts concerning a region. The kernel writes one alert_regions row per region an
 * alert concerns (its regions and every ancestor), so "in this area" is an indexed join here and
 * the overview sees exactly what GET /alerts shows the same user.
 */
function unresolvedIn(ctx: AppContext, regionIds: readonly number[]) {
  return ctx.store.db
    .selectFrom('alert_regions as r')
    .innerJoin('alerts as a', 'a.id', 'r.alert_id')
    .where('r.region_id', 'in', regionIds)
    .where('a.resolved_at', 'is', null);
}

/** Open (unresolved) alerts in the area, by level and per child, with the most urgent listed. */
export const alertsSection: SectionSource<'alerts'> = {
  key: 'alerts',
  async compute(ctx, area: OverviewArea) {
    const here = [area.region.id];
    const byLevelRows = await unresolvedIn(ctx, here)
      .select((eb) => ['a.level', eb.fn.countAll<number>().as('n')])
      .groupBy('a.level')
      .execute();
    const open = { info: 0, warning: 0, critical: 0 };
    for (const row of byLevelRows) if (row.level in open) open[row.level] = Number(row.n);

    const byChild = new Map(area.children.map((c) => [c.id, 0]));
    if (area.children.length > 0) {
      const rows = await unresolvedIn(
        ctx,
        area.children.map((c) => c.id),
      )
        .select((eb) => ['r.region_id', eb.fn.countAll<number>().as('n')])
        .groupBy('r.region_id')
        .execute();
      for (const row of rows) byChild.set(Number(row.region_id), Number(row.n));
    }

    const urgency = sql<number>`case a.level when 'critical' then 0 when 'warning' then 1 else 2 end`;
    const latestRows = await unresolvedIn(ctx, here)
      .select([
        'a.id',
        'a.rule',
        'a.level',
        'a.region_ids',
        'a.subject_type',
        'a.subject_id',
        'a.opened_at',
        'a.acknowledged_at',
      ])
      .orderBy(urgency)
      .orderBy('a.opened_at', 'desc')
      .orderBy('a.id', 'desc')
      .limit(LATEST)
      .execute();
    const latest: AlertSummary[] = latestRows.map((row) => ({
      id: Number(row.id),
      rule: row.rule,
      level: row.level,
      region: deepestRegion(ctx, parseIds(row.region_ids)),
      subjectType: row.subject_type,
      subjectId: row.subject_id,
      openedAt: Number(row.opened_at),
      acknowledgedAt: row.acknowledged_at == null ? null : Number(row.acknowledged_at),
    }));
    const total = open.info + open.warning + open.critical;
    return { data: { open, total, latest }, measures: { openAlerts: byChild } };
  },
};
