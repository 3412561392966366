import fs from 'node:fs';
import path from 'node:path';
import { chartHtml } from '../../domain/simulation/chart.ts';
import { dailyCsv } from '../../domain/simulation/figures.ts';
import type { RunSummary } from './run.ts';

/**
 * `--report DIR`: daily.csv (simulated quantities only, byte-identical for a seed), chart.html
 * (simulated vs 2022, self-contained) and summary.json (the run's API use and problems, which
 * depend on the machine and are kept apart for that reason).
 */
export function writeReport(
  dir: string,
  summary: RunSummary,
  meta: { scale: number; seed: number; scenario: string },
): { csv: string; chart: string; json: string } {
  fs.mkdirSync(dir, { recursive: true });
  const csv = path.join(dir, 'daily.csv');
  const chart = path.join(dir, 'chart.html');
  const json = path.join(dir, 'summary.json');
  fs.writeFileSync(csv, dailyCsv(summary.figures));
  fs.writeFileSync(
    chart,
    chartHtml({
      title: `Cordon simulation — ${meta.scenario}`,
      scale: meta.scale,
      seed: meta.seed,
      days: summary.figures,
      calibration: summary.calibration,
    }),
  );
  const { figures: _figures, ...rest } = summary;
  fs.writeFileSync(json, `${JSON.stringify({ ...meta, ...rest }, null, 2)}\n`);
  return { csv, chart, json };
}
