import type { MeasureKey, OverviewChild } from '../api/dashboard.ts';

/**
 * The contract's measures in display order. Listed here rather than imported so the page does
 * not bundle the server's schema library; the check below fails the build if one is missing.
 */
const MEASURE_ORDER = [
  'newCases',
  'communityCases',
  'coverage',
  'zonesSealed',
  'bedsFree',
  'underControl',
  'openTestOrders',
  'overdueTestOrders',
  'openAlerts',
  'people',
  'population',
] as const satisfies readonly MeasureKey[];
const everyMeasureListed: Exclude<MeasureKey, (typeof MEASURE_ORDER)[number]> extends never ? true : never =
  true;
void everyMeasureListed;

/** The order the measure picker prefers when the user has not chosen: the outbreak first. */
const PREFERRED: readonly MeasureKey[] = [
  'newCases',
  'communityCases',
  'underControl',
  'openAlerts',
  'people',
  'population',
];

/** Measures some child has a value for, in display order. */
export function availableMeasures(children: readonly OverviewChild[]): MeasureKey[] {
  return MEASURE_ORDER.filter((key) => children.some((c) => c.measures[key] != null));
}

export function defaultMeasure(available: readonly MeasureKey[]): MeasureKey | null {
  return PREFERRED.find((m) => available.includes(m)) ?? available[0] ?? null;
}

/** Shares (0–1) read as percentages; everything else is a count. */
export function formatMeasure(
  measure: MeasureKey,
  value: number | undefined,
  formatNumber: (n: number) => string,
): string {
  if (value == null) return '—';
  if (measure === 'coverage') return `${(value * 100).toFixed(1)}%`;
  return formatNumber(value);
}
