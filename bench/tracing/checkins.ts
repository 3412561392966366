import type { AppContext } from '../../src/app/context.ts';
import { ingestCheckins } from '../../src/app/tracing/checkins.ts';
import { Random } from '../../src/domain/random.ts';
import { atLocalTime } from '../../src/domain/time/calendar.ts';
import type { Checkin } from '../../src/domain/tracing/checkins.ts';

/** Places that carry a venue code (场所码): everything but homes and isolation facilities. */
const CODED_KINDS = ['venue', 'market', 'school', 'enterprise', 'worksite', 'care_home'] as const;
const BATCH = 100_000;

/**
 * One day of check-ins, one per resident (the load): each resident scans a coded place
 * of their own street (one in ten: anywhere in the city) at a time between 06:00 and 22:00. Loaded through the real ingest service
 * in 100,000-row batches (ids checked, all or nothing per batch), before any timing starts.
 * Returns the rows stored and the ingest rate.
 */
export async function loadDayOfCheckins(
  ctx: AppContext,
  day: string,
  seed: number,
): Promise<{ rows: number; seconds: number }> {
  const r = new Random(`tracing-checkins:${seed}`);
  const places = await ctx.store.db
    .selectFrom('places')
    .select(['id', 'street_id'])
    .where('kind', 'in', [...CODED_KINDS])
    .orderBy('id')
    .execute();
  const byStreet = new Map<number, number[]>();
  for (const p of places) {
    const list = byStreet.get(p.street_id);
    if (list) list.push(p.id);
    else byStreet.set(p.street_id, [p.id]);
  }
  const all = places.map((p) => p.id);
  const open = atLocalTime(day, 6, 0, ctx.config.timeZone);
  const span = 16 * 3_600_000;
  let rows = 0;
  let seconds = 0;
  let after = 0;
  for (;;) {
    const people = await ctx.store.db
      .selectFrom('people')
      .select(['id', 'street_id'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    if (people.length === 0) break;
    after = people[people.length - 1].id;
    // Most scan near home; one in ten somewhere else in the city (work, errands), across districts.
    const batch: Checkin[] = people.map((p) => ({
      venueId: r.chance(0.1) ? r.pick(all) : r.pick(byStreet.get(p.street_id) ?? all),
      personId: p.id,
      at: open + Math.floor(r.float() * span),
    }));
    const started = performance.now();
    const result = await ingestCheckins(ctx, batch);
    seconds += (performance.now() - started) / 1000;
    rows += result.inserted;
  }
  return { rows, seconds };
}
