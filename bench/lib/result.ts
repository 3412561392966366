/**
 * The one result line of a benchmark (../shared/SPEC.md, Benchmarks): the last line on stdout
 * that starts with `{`, with `bench`, `scale`, `value`, `unit`, `baseline`, `ratio` (= value /
 * baseline, higher is better) and the bench's own figures.
 */
export interface BenchResult {
  bench: string;
  scale: number;
  value: number;
  unit: string;
  baseline: number;
  ratio?: number;
  [figure: string]: unknown;
}

export function printResult(result: BenchResult): void {
  const ratio = result.ratio ?? (result.baseline > 0 ? result.value / result.baseline : 0);
  const line = {
    ...result,
    value: round(result.value),
    baseline: round(result.baseline),
    ratio: Math.round(ratio * 1000) / 1000,
    peakRssMb: peakRssMb(),
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

function round(x: number): number {
  return Math.abs(x) >= 100 ? Math.round(x) : Math.round(x * 1000) / 1000;
}

/** The process's peak resident memory so far, in MB. */
export function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}
