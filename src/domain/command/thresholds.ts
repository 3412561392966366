/**
 * The numbers of command's own monitoring rules (24小时实时监测). They are operating limits of
 * the response, not epidemiological rules, so they live here rather than in the rule sets; each
 * says where it comes from.
 */

/**
 * A transport box handed to the courier and not received by its lab after this long. Shanghai's
 * and the national guidance asked specimens to reach the lab within 2–4 hours of sampling (采样后
 * 2–4 小时内送检); a box still on the road 4 hours after dispatch has missed that whatever its
 * sampling time.
 */
export const TRANSIT_LIMIT_MS = 4 * 3_600_000;

/** A facility whose beds are more than this share reserved or occupied (床位使用率超过 90%). */
export const FACILITY_FULL_SHARE = 0.9;

/**
 * A sampling site over capacity: more people sampled in the last 60 minutes than its rated
 * hourly capacity (queues, tired samplers and mistakes follow). The last 60 minutes are
 * estimated from clock-hour tallies: the current hour so far plus the previous hour's share of
 * the window (see siteHourEstimate).
 */
export function siteHourEstimate(currentHour: number, previousHour: number, msIntoHour: number): number {
  const elapsed = Math.min(1, Math.max(0, msIntoHour / 3_600_000));
  return currentHour + previousHour * (1 - elapsed);
}

/** A lab is over capacity when more tubes wait for a result than it can test in a day. */
export function labOverCapacity(waiting: number, dailyCapacity: number | null): boolean {
  return dailyCapacity != null && dailyCapacity > 0 && waiting > dailyCapacity;
}

export function facilityOverFull(used: number, total: number): boolean {
  return total > 0 && used / total > FACILITY_FULL_SHARE;
}
