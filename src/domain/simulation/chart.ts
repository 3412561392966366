/**
 * chart.html: simulated daily positives against Shanghai's 2022 figures (× the scale), as one
 * self-contained page with an inline SVG — no script, no network, opens anywhere and renders
 * headless. Pure: figures in, text out.
 */
import type { Calibration, DayFigures } from './figures.ts';

const W = 960;
const H = 420;
const PAD = { left: 64, right: 24, top: 24, bottom: 56 };

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function niceStep(max: number): number {
  const raw = max / 5;
  const p = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-9)));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? p * 10;
}

export interface ChartInput {
  title: string;
  scale: number;
  seed: number;
  days: readonly DayFigures[];
  calibration: Calibration;
}

export function chartHtml(input: ChartInput): string {
  const { days, calibration: c } = input;
  const n = Math.max(1, days.length);
  const series = {
    reference: days.map((d) => d.reference2022),
    reported: days.map((d) => d.reported),
    community: days.map((d) => d.community),
  };
  const max = Math.max(1, ...series.reported, ...series.reference.map((v) => v ?? 0));
  const step = niceStep(max);
  const top = Math.ceil(max / step) * step;
  const x = (i: number) => PAD.left + ((W - PAD.left - PAD.right) * i) / Math.max(1, n - 1);
  const y = (v: number) => H - PAD.bottom - ((H - PAD.top - PAD.bottom) * v) / top;
  const line = (values: readonly (number | null)[]) =>
    values
      .map((v, i) => (v == null ? null : `${x(i).toFixed(1)},${y(v).toFixed(1)}`))
      .filter((p): p is string => p != null)
      .join(' ');
  const grid: string[] = [];
  for (let v = 0; v <= top + 1e-9; v += step) {
    grid.push(
      `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(v)}" y2="${y(v)}" class="grid"/><text x="${PAD.left - 8}" y="${y(v) + 4}" class="ylab">${Math.round(v * 100) / 100}</text>`,
    );
  }
  const ticks = days
    .map((d, i) => ({ d, i }))
    .filter(({ d }) => d.date.endsWith('-01') || d.date.endsWith('-15'))
    .map(
      ({ d, i }) =>
        `<line x1="${x(i)}" x2="${x(i)}" y1="${H - PAD.bottom}" y2="${H - PAD.bottom + 5}" class="axis"/><text x="${x(i)}" y="${H - PAD.bottom + 20}" class="xlab">${d.date.slice(5)}</text>`,
    );
  const bars = series.community
    .map((v, i) =>
      v > 0
        ? `<rect x="${(x(i) - 2).toFixed(1)}" y="${y(v).toFixed(1)}" width="4" height="${(H - PAD.bottom - y(v)).toFixed(1)}" class="community"/>`
        : '',
    )
    .join('');
  const pct = (v: number | null) => (v == null ? '—' : `${(v * 100).toFixed(1)}%`);
  const ok = (b: boolean) => (b ? '✓' : '✗');
  // The targets are about the 2022 wave: shown when the run covers its peak.
  const facts = days.some((d) => d.date === c.referencePeakDay)
    ? [
        `peak ${c.peakDay}: ${c.peakHeight} (2022: ${c.referencePeakDay}, ${c.referencePeakHeight.toFixed(0)} × scale) ${ok(c.targets.peakDay && c.targets.peakHeight)}`,
        `found inside control from 20 April: ${pct(c.insideShareFrom20April)} ${ok(c.targets.insideShare)}`,
        `community zero 3 days from: ${c.communityZeroFrom ?? '—'} (last community positive: ${c.lastCommunityDay ?? 'none'}) ${ok(c.targets.communityZero)}`,
      ]
    : [`peak ${c.peakDay}: ${c.peakHeight}`];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(input.title)}</title>
<style>
body{font:14px system-ui,-apple-system,'PingFang SC','Noto Sans CJK SC',sans-serif;margin:24px;color:#1f2937;background:#fff}
h1{font-size:18px;margin:0 0 4px} p{margin:2px 0;color:#4b5563}
.grid{stroke:#e5e7eb}.axis{stroke:#9ca3af}.ylab{font-size:11px;fill:#6b7280;text-anchor:end}.xlab{font-size:11px;fill:#6b7280;text-anchor:middle}
.ref{fill:none;stroke:#9ca3af;stroke-width:2;stroke-dasharray:6 4}.sim{fill:none;stroke:#2563eb;stroke-width:2.5}.community{fill:#dc2626;opacity:.75}
.legend text{font-size:12px;fill:#374151}
</style></head><body>
<h1>${esc(input.title)}</h1>
<p>New positives per day (by report day) — simulated city at scale ${input.scale}, seed ${input.seed}, against Shanghai 2022 × ${input.scale}.</p>
${facts.map((f) => `<p>${esc(f)}</p>`).join('\n')}
<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="simulated vs 2022 daily positives">
${grid.join('\n')}
<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${H - PAD.bottom}" y2="${H - PAD.bottom}" class="axis"/>
${ticks.join('\n')}
${bars}
<polyline points="${line(series.reference)}" class="ref"/>
<polyline points="${line(series.reported)}" class="sim"/>
<g class="legend" transform="translate(${W - PAD.right - 300},${PAD.top + 8})">
<line x1="0" x2="28" y1="0" y2="0" class="sim"/><text x="36" y="4">simulated, reported that day</text>
<line x1="0" x2="28" y1="20" y2="20" class="ref"/><text x="36" y="24">Shanghai 2022 × ${input.scale}</text>
<rect x="10" y="34" width="8" height="12" class="community"/><text x="36" y="44">simulated community (社会面), by sampling day</text>
</g>
</svg>
</body></html>
`;
}
