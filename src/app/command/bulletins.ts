import { bulletinDueAt, composeBulletin, type Bulletin } from '../../domain/command/bulletin.ts';
import { DomainError } from '../../domain/errors.ts';
import { addDays, dayOf, endOfDay, type CalendarDay } from '../../domain/time/calendar.ts';
import { findBulletin, insertBulletin, listBulletins } from '../../store/command/bulletins.ts';
import { inTransaction, type AppContext, type UnitOfWork } from '../context.ts';
import { getActiveRuleSet } from '../kernel/rule-sets.ts';
import { bulletinCounts } from './bulletin-figures.ts';

/**
 * The daily bulletin as a service: issued once per calendar day when the day is over (by the
 * rule clock, or on the first request after it is due), stored, and from then on served as
 * issued — the official figures do not change under a reader. Issuing publishes
 * `bulletin.issued` to the city.
 */
export const BULLETIN_ISSUED = 'bulletin.issued';
/** Finished days the clock fills in when it finds them missing (the server was down, say). */
const CATCH_UP_DAYS = 7;

function cityOf(ctx: AppContext) {
  const city = ctx.regions.city();
  if (!city) throw new DomainError('not_found', 'no city in the registry yet: nothing to report');
  return city;
}

async function issueIn(ctx: AppContext, uow: UnitOfWork, day: CalendarDay): Promise<Bulletin> {
  const stored = await findBulletin(uow.trx, day);
  if (stored) return stored;
  const city = cityOf(ctx);
  const rules = await getActiveRuleSet(ctx, uow.trx);
  const counts = await bulletinCounts(uow.trx, ctx.config.timeZone, day);
  const bulletin = composeBulletin({
    day,
    issuedAt: uow.now,
    timeZone: ctx.config.timeZone,
    ruleSet: `${rules.name}@${rules.version}`,
    city: { id: city.id, name: city.name, nameEn: city.nameEn },
    districts: ctx.regions
      .districts()
      .sort((a, b) => a.code.localeCompare(b.code))
      .map((d) => ({ id: d.id, name: d.name, nameEn: d.nameEn })),
    ...counts,
  });
  if (!(await insertBulletin(uow.trx, bulletin))) return (await findBulletin(uow.trx, day))!;
  uow.publish({
    type: BULLETIN_ISSUED,
    occurredAt: uow.now,
    regionIds: [city.id],
    payload: { day, issuedAt: bulletin.issuedAt, totals: bulletin.totals },
  });
  return bulletin;
}

/** Whether a day's bulletin may be issued at `now` (its day is over and has settled). */
export function isDue(ctx: AppContext, day: CalendarDay, now: number): boolean {
  return now >= bulletinDueAt(endOfDay(day, ctx.config.timeZone));
}

/**
 * A day's bulletin: as issued, or issued now if it is due and missing. A day not yet over (or
 * still settling) is "not issued yet", with the time it will be.
 */
export async function getBulletin(ctx: AppContext, day: CalendarDay): Promise<Bulletin> {
  const stored = await findBulletin(ctx.store.db, day);
  if (stored) return stored;
  const now = ctx.clock.now();
  if (!isDue(ctx, day, now)) {
    const due = new Date(bulletinDueAt(endOfDay(day, ctx.config.timeZone))).toISOString();
    throw new DomainError('not_found', `the bulletin of ${day} is not issued yet (due ${due})`, [
      { field: 'day', message: 'not issued yet', value: day },
    ]);
  }
  return inTransaction(ctx, (uow) => issueIn(ctx, uow, day));
}

/** The last complete day whose bulletin is due at `now`. */
export function latestDueDay(ctx: AppContext, now: number): CalendarDay {
  const yesterday = addDays(dayOf(now, ctx.config.timeZone), -1);
  return isDue(ctx, yesterday, now) ? yesterday : addDays(yesterday, -1);
}

/** The newest bulletin: the latest due day's (issued now if missing). */
export async function latestBulletin(ctx: AppContext): Promise<Bulletin> {
  return getBulletin(ctx, latestDueDay(ctx, ctx.clock.now()));
}

export async function issuedBulletins(ctx: AppContext, limit = 60): Promise<Bulletin[]> {
  return listBulletins(ctx.store.db, Math.min(Math.max(limit, 1), 366));
}

/**
 * The clock's turn: issues every due day of the last week that has no bulletin yet, from the day
 * of the deployment's first recorded event on (earlier days had nothing to report; they are
 * still issued on request).
 */
export async function issueDueBulletins(ctx: AppContext, uow: UnitOfWork): Promise<CalendarDay[]> {
  if (!ctx.regions.city()) return [];
  const first = await uow.trx
    .selectFrom('events')
    .select('occurred_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  if (!first) return [];
  const firstDay = dayOf(Number(first.occurred_at), ctx.config.timeZone);
  const latest = latestDueDay(ctx, uow.now);
  const issued: CalendarDay[] = [];
  for (let back = CATCH_UP_DAYS - 1; back >= 0; back--) {
    const day = addDays(latest, -back);
    if (day < firstDay || (await findBulletin(uow.trx, day))) continue;
    await issueIn(ctx, uow, day);
    issued.push(day);
  }
  return issued;
}
