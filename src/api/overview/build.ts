import type { AppContext } from '../../app/context.ts';
import type { Principal } from '../../domain/access/principal.ts';
import { pathWithinScope, regionRef, resolveArea, type AnySectionSource, type OverviewArea } from './area.ts';
import type { MeasureKey, Overview, OverviewSections, SectionKey } from './contract.ts';
import { overviewSections } from './sections/index.ts';

/** Runs every registered section for the area and folds their per-child measures together. */
export async function buildOverview(
  ctx: AppContext,
  principal: Principal,
  regionId: number | undefined,
  sources: readonly AnySectionSource[] = overviewSections,
): Promise<Overview> {
  const area: OverviewArea = resolveArea(ctx, principal, regionId);
  const results = await Promise.all(
    sources.map(async (source) => ({ key: source.key, result: await source.compute(ctx, area) })),
  );
  const sections: Record<string, unknown> = {};
  const refreshing: SectionKey[] = [];
  const measures = new Map<number, Partial<Record<MeasureKey, number>>>(area.children.map((c) => [c.id, {}]));
  for (const { key, result } of results) {
    sections[key] = result.data;
    if (result.refreshing) refreshing.push(key);
    for (const [measure, values] of Object.entries(result.measures ?? {}) as [
      MeasureKey,
      Map<number, number>,
    ][]) {
      for (const [childId, value] of values) {
        const entry = measures.get(childId);
        if (entry) entry[measure] = value;
      }
    }
  }
  return {
    asOf: area.now,
    today: area.today,
    timeZone: ctx.config.timeZone,
    region: regionRef(area.region),
    path: pathWithinScope(ctx, principal, area),
    children: area.children.map((c) => ({ ...regionRef(c), measures: measures.get(c.id) ?? {} })),
    // Each source's data was typed by its key (SectionSource<K>), so the record is the sections object.
    sections: sections as OverviewSections,
    refreshing,
  };
}
