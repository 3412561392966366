/**
 * Stage timing of the sample chain (采送检报全流程): each stage runs between two stamps of a
 * tube. A tube is in a stage's backlog when it has the first stamp and not the second.
 * Durations are aggregated by the store into minute buckets; percentiles are read from them here.
 */
export const STAGES = [
  /** 采: first member collected → tube closed. */
  { name: 'collect', from: 'collected_at', to: 'closed_at' },
  /** closed → sealed into a transport box. */
  { name: 'box', from: 'closed_at', to: 'boxed_at' },
  /** 送: box sealed → handed to the courier. */
  { name: 'dispatch', from: 'boxed_at', to: 'dispatched_at' },
  /** in transit → received by the lab. */
  { name: 'transport', from: 'dispatched_at', to: 'received_at' },
  /** 检: received → result posted. */
  { name: 'test', from: 'received_at', to: 'resulted_at' },
  /** 报: result posted → members notified. */
  { name: 'notify', from: 'resulted_at', to: 'notified_at' },
  /** The whole turnaround, first collection → result. */
  { name: 'turnaround', from: 'collected_at', to: 'resulted_at' },
] as const;

export type StageName = (typeof STAGES)[number]['name'];
export type StampColumn = (typeof STAGES)[number]['from'] | (typeof STAGES)[number]['to'];

export const BUCKET_MS = 60_000;

/** Counts per duration bucket (bucket b holds durations in [b·BUCKET_MS, (b+1)·BUCKET_MS)). */
export type Histogram = Map<number, number>;

/**
 * The q-quantile (0 < q ≤ 1) of a bucketed distribution, as the upper edge of the bucket that
 * holds it: "90 % of tubes took at most this long", never an optimistic under-statement.
 */
export function quantileMs(histogram: Histogram, q: number): number | null {
  let total = 0;
  for (const n of histogram.values()) total += n;
  if (total === 0) return null;
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (const bucket of [...histogram.keys()].sort((a, b) => a - b)) {
    seen += histogram.get(bucket)!;
    if (seen >= rank) return (bucket + 1) * BUCKET_MS;
  }
  return null;
}

export interface StageFigures {
  stage: StageName;
  /** Tubes waiting in the stage now. */
  backlog: number;
  /** Tubes that went through it. */
  done: number;
  p50Ms: number | null;
  p90Ms: number | null;
}

export function stageFigures(stage: StageName, backlog: number, histogram: Histogram): StageFigures {
  let done = 0;
  for (const n of histogram.values()) done += n;
  return { stage, backlog, done, p50Ms: quantileMs(histogram, 0.5), p90Ms: quantileMs(histogram, 0.9) };
}
