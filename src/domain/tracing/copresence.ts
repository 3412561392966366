/**
 * 时空伴随 — co-presence. A case was at a venue from `from` to `until` (a check-in is an instant:
 * from = until); anyone who checked in at the same venue within the rule set's window around that
 * stay is proposed as a contact. Pure: the store runs the same predicate as one indexed join
 * (venue_id, at between lo and hi), and these functions decide the windows it joins against.
 */

export interface Presence {
  caseId: number;
  casePersonId: number;
  venueId: number;
  from: number;
  until: number;
}

/** The span of check-in times that count as "there with the case" at one venue. */
export interface CoPresenceWindow {
  caseId: number;
  casePersonId: number;
  venueId: number;
  /** Inclusive bounds, epoch ms. */
  lo: number;
  hi: number;
}

export function windowAround(presence: Presence, windowMinutes: number): CoPresenceWindow {
  const pad = windowMinutes * 60_000;
  const from = Math.min(presence.from, presence.until);
  const until = Math.max(presence.from, presence.until);
  return {
    caseId: presence.caseId,
    casePersonId: presence.casePersonId,
    venueId: presence.venueId,
    lo: from - pad,
    hi: until + pad,
  };
}

/**
 * The windows to match, merged where one case's stays at a venue overlap (a case who checked in
 * at the same shop twice in ten minutes needs one range scan, not two, and proposes each person
 * once). Ordered by case, venue, start.
 */
export function coPresenceWindows(presences: readonly Presence[], windowMinutes: number): CoPresenceWindow[] {
  const sorted = presences
    .map((p) => windowAround(p, windowMinutes))
    .sort((a, b) => a.caseId - b.caseId || a.venueId - b.venueId || a.lo - b.lo);
  const out: CoPresenceWindow[] = [];
  for (const w of sorted) {
    const last = out[out.length - 1];
    if (last && last.caseId === w.caseId && last.venueId === w.venueId && w.lo <= last.hi) {
      last.hi = Math.max(last.hi, w.hi);
    } else {
      out.push({ ...w });
    }
  }
  return out;
}

/** Whether a check-in by someone other than the case falls inside a window. */
export function isCoPresent(
  window: CoPresenceWindow,
  checkin: { venueId: number; personId: number; at: number },
): boolean {
  return (
    checkin.venueId === window.venueId &&
    checkin.personId !== window.casePersonId &&
    checkin.at >= window.lo &&
    checkin.at <= window.hi
  );
}

/**
 * Reference matcher in memory: the proposals (one per case and person, earliest check-in) that
 * the store's join must produce. Used by tests to pin the SQL to the rule, and small enough to
 * read as the definition.
 */
export function matchCoPresence(
  windows: readonly CoPresenceWindow[],
  checkins: readonly { venueId: number; personId: number; at: number }[],
): { caseId: number; personId: number; venueId: number; at: number }[] {
  const byVenue = new Map<number, { venueId: number; personId: number; at: number }[]>();
  for (const c of checkins) {
    const list = byVenue.get(c.venueId) ?? [];
    list.push(c);
    byVenue.set(c.venueId, list);
  }
  const best = new Map<string, { caseId: number; personId: number; venueId: number; at: number }>();
  for (const w of windows) {
    for (const c of byVenue.get(w.venueId) ?? []) {
      if (!isCoPresent(w, c)) continue;
      const key = `${w.caseId}:${c.personId}`;
      const prior = best.get(key);
      if (!prior || c.at < prior.at) {
        best.set(key, { caseId: w.caseId, personId: c.personId, venueId: c.venueId, at: c.at });
      }
    }
  }
  return [...best.values()].sort((a, b) => a.caseId - b.caseId || a.personId - b.personId);
}
