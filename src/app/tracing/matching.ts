import { coPresenceWindows, type Presence } from '../../domain/tracing/copresence.ts';
import { endOfDay, startOfDay, type CalendarDay } from '../../domain/time/calendar.ts';
import {
  casePresences,
  proposeCoPresentContacts,
  type MatchWindow,
  type ProposedRow,
} from '../../store/tracing/checkins.ts';
import {
  investigationsReportedBetween,
  placedTimelineOf,
  type InvestigationRow,
} from '../../store/tracing/investigations.ts';
import { inTransaction, type AppContext, type UnitOfWork } from '../context.ts';
import { placeFacts } from '../../store/tracing/people.ts';
import { activeContactRules } from './contacts.ts';
import { publishNewContacts, publishTrailPush } from './publish.ts';

export interface MatchResult {
  cases: number;
  /** Case stays matched (check-ins and timeline places), after merging overlaps. */
  windows: number;
  proposed: number;
  /** Proposals living in another district than their case: pushed to that district. */
  pushed: number;
}

/**
 * 时空伴随 for the cases reported in [from, until): each case's stays — the venues it scanned in
 * its exposure period and the places on its timeline — become windows widened by the rule set's
 * co-presence minutes; one set-based statement turns every other check-in inside a window into a
 * proposed close contact for a tracer to confirm. Re-running proposes only what is new.
 */
export async function matchCoPresence(ctx: AppContext, from: number, until: number): Promise<MatchResult> {
  return inTransaction(ctx, async (uow) => {
    const rules = await activeContactRules(ctx, uow);
    const investigations = await investigationsReportedBetween(uow.trx, from, until);
    if (investigations.length === 0) return { cases: 0, windows: 0, proposed: 0, pushed: 0 };
    const byCase = new Map<number, InvestigationRow>(investigations.map((i) => [i.case_id, i]));
    const venueDistrict = new Map<number, number>();
    const presences: (Presence & { kind: 'checkin' | 'timeline' })[] = [];
    const ids = investigations.map((i) => i.id);
    for (const p of await casePresences(uow.trx, ids)) {
      venueDistrict.set(p.venue_id, p.district_id);
      presences.push({
        kind: 'checkin',
        caseId: p.case_id,
        casePersonId: p.person_id,
        venueId: p.venue_id,
        from: p.at,
        until: p.at,
      });
    }
    for (const t of await placedTimelineOf(uow.trx, ids)) {
      venueDistrict.set(t.place_id!, t.place_district_id!);
      presences.push({
        kind: 'timeline',
        caseId: t.case_id,
        casePersonId: byCase.get(t.case_id)!.person_id,
        venueId: t.place_id!,
        from: t.from_at,
        until: t.until_at,
      });
    }
    const windows: MatchWindow[] = coPresenceWindows(presences, rules.coPresenceWindowMinutes).map((w) => ({
      ...w,
      caseDistrictId: byCase.get(w.caseId)!.district_id,
      venueDistrictId: venueDistrict.get(w.venueId)!,
    }));
    const proposed = await proposeCoPresentContacts(ctx.store, uow.trx, windows, uow.now);
    const perCase = new Map<number, ProposedRow[]>();
    for (const r of proposed) {
      const list = perCase.get(r.case_id) ?? [];
      list.push(r);
      perCase.set(r.case_id, list);
    }
    for (const [caseId, rows] of perCase) {
      const contacts = rows.map((r) => ({
        ...r,
        degree: 'close' as const,
        status: 'proposed' as const,
        exposure_kind: 'venue' as const,
      }));
      publishNewContacts(uow, byCase.get(caseId)!, contacts, 'match');
    }
    await pushCrossDistrictStays(
      uow,
      presences.filter(
        (p) => p.kind === 'checkin' && venueDistrict.get(p.venueId) !== byCase.get(p.caseId)!.district_id,
      ),
      byCase,
    );
    const pushed = proposed.filter((r) => r.district_id !== r.case_district_id).length;
    return { cases: investigations.length, windows: windows.length, proposed: proposed.length, pushed };
  });
}

/** The cases reported on one calendar day (deployment time zone). */
export function matchCoPresenceForDay(ctx: AppContext, day: CalendarDay): Promise<MatchResult> {
  return matchCoPresence(ctx, startOfDay(day, ctx.config.timeZone), endOfDay(day, ctx.config.timeZone));
}

/** Venues a case scanned in another district: that district hears of the stays (timeline stays were pushed when entered). */
async function pushCrossDistrictStays(
  uow: UnitOfWork,
  stays: readonly Presence[],
  byCase: ReadonlyMap<number, InvestigationRow>,
): Promise<void> {
  if (stays.length === 0) return;
  const places = await placeFacts(
    uow.trx,
    stays.map((s) => s.venueId),
  );
  const perCase = new Map<
    number,
    { placeId: number; districtId: number; streetId: number; from: number; until: number }[]
  >();
  for (const s of stays) {
    const place = places.get(s.venueId);
    if (!place) continue;
    const list = perCase.get(s.caseId) ?? [];
    list.push({
      placeId: s.venueId,
      districtId: place.districtId,
      streetId: place.streetId,
      from: s.from,
      until: s.until,
    });
    perCase.set(s.caseId, list);
  }
  for (const [caseId, list] of perCase) publishTrailPush(uow, byCase.get(caseId)!, list, 'checkin');
}
