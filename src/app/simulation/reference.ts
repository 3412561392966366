import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { ReferenceDay } from '../../domain/simulation/figures.ts';
import { REFERENCE_DIR } from '../registry/reference-data.ts';

/**
 * Shanghai's 2022 daily new infections (reference/shanghai_daily_2022.csv, the official
 * 新增阳性感染者 by report day; sources in reference/SOURCE.md), for calibration and the chart.
 */
let cached: ReferenceDay[] | undefined;

export function shanghai2022(): ReferenceDay[] {
  if (cached) return cached;
  const rows = parse(fs.readFileSync(path.join(REFERENCE_DIR, 'shanghai_daily_2022.csv')), {
    columns: true,
    skip_empty_lines: true,
  }) as Record<string, string>[];
  cached = rows.map((r) => ({ date: r.date, newInfections: Number(r.new_infections) }));
  return cached;
}

export function referenceByDate(): Map<string, number> {
  return new Map(shanghai2022().map((r) => [r.date, r.newInfections]));
}
