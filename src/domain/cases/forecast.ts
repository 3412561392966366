/**
 * Days until a district's beds of a kind run out (床位可用天数), from the recent trend: the mean
 * daily admissions minus discharges over the last complete days. Only a net inflow fills beds;
 * a flat or falling trend has no date to show.
 */
export interface BedTrend {
  /** Free beds now. */
  free: number;
  /** Admissions per complete day, oldest first (the window, e.g. 7 days). */
  admissions: readonly number[];
  discharges: readonly number[];
}

export interface BedForecast {
  free: number;
  admissionsPerDay: number;
  dischargesPerDay: number;
  netPerDay: number;
  /** Whole days until no bed is free at the current net rate; 0 = full now; null = not filling. */
  daysToFull: number | null;
}

const mean = (xs: readonly number[]) => (xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length);

export function forecastDaysToFull(trend: BedTrend): BedForecast {
  const admissionsPerDay = mean(trend.admissions);
  const dischargesPerDay = mean(trend.discharges);
  const netPerDay = admissionsPerDay - dischargesPerDay;
  const free = Math.max(0, trend.free);
  let daysToFull: number | null;
  if (free === 0) daysToFull = 0;
  else if (netPerDay <= 0) daysToFull = null;
  else daysToFull = Math.floor(free / netPerDay);
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    free,
    admissionsPerDay: round(admissionsPerDay),
    dischargesPerDay: round(dischargesPerDay),
    netPerDay: round(netPerDay),
    daysToFull,
  };
}
