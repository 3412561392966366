import { endOfDay, startOfDay, type CalendarDay } from '../../domain/time/calendar.ts';
import { calendarDayOf } from '../../domain/zones/conditions.ts';
import { proposeZoneTransitions, type CompoundFacts, type Evaluation } from '../../domain/zones/proposals.ts';
import type { DayCoverage, PositiveResident } from '../../domain/zones/types.ts';
import type { ZonesSection } from '../../domain/rules/zones-schema.ts';
import { activeDesignationsPage, type Db, type StoredDesignation } from '../../store/zones/designations.ts';
import {
  activeHolds,
  allPositivesSince,
  dayTestCoverage,
  dayTestSourceId,
  positivesIn,
} from '../../store/zones/places.ts';

/**
 * Loading what the evaluation needs and running the pure rules on each designation. Two ways
 * to load the same facts: for a few designations (a decision's re-check), indexed look-ups by
 * place; for the whole city's daily run, one pass over each table — every positive since the
 * oldest running period, every held building — since at the peak that is most of them anyway.
 */
export interface EvaluatedPlace {
  designation: StoredDesignation;
  evaluation: Evaluation;
}

export interface EvaluationInput {
  db: Db;
  zones: ZonesSection;
  today: CalendarDay;
  timeZone: string;
  /** Resident counts for places whose day-N tests found no order (an empty place passes). */
  residentCount(placeId: number): Promise<number>;
}

/** Positives by place (building or compound) and held buildings by compound designation. */
interface Facts {
  positives: Map<number, PositiveResident[]>;
  holds: Map<number, number[]>;
}

/** The day from which positives can matter to any of these designations. */
function earliestDay(designations: readonly StoredDesignation[]): CalendarDay {
  let min = designations[0].periodStartDay;
  for (const d of designations) {
    if (d.periodStartDay < min) min = d.periodStartDay;
    if (d.lastPositiveDay && d.lastPositiveDay < min) min = d.lastPositiveDay;
  }
  return min;
}

export async function evaluatePage(
  input: EvaluationInput,
  page: readonly StoredDesignation[],
  facts?: Facts,
): Promise<EvaluatedPlace[]> {
  if (page.length === 0) return [];
  const { db, zones, today } = input;
  const known = facts ?? {
    positives: await positivesIn(
      db,
      page.map((d) => d.placeId),
      earliestDay(page),
    ),
    holds: await activeHolds(
      db,
      page.filter((d) => !d.hold).map((d) => d.id),
    ),
  };
  const coverage = await coverageFor(input, page);
  return page.map((designation) => {
    const placeFacts: CompoundFacts = {
      positives: known.positives.get(designation.placeId) ?? [],
      heldBuildingIds: known.holds.get(designation.id) ?? [],
      coverage: (day) => coverage.get(`${designation.id}|${day}`),
    };
    return { designation, evaluation: proposeZoneTransitions(zones, designation, placeFacts, today) };
  });
}

/** Coverage of every past day-N test the page's ways out ask about, keyed `designation|day`. */
async function coverageFor(
  input: EvaluationInput,
  page: readonly StoredDesignation[],
): Promise<Map<string, DayCoverage>> {
  const wanted: { key: string; placeId: number; sourceId: string; dayStart: number; dayEnd: number }[] = [];
  for (const d of page) {
    if (d.hold) continue;
    for (const t of input.zones.transitions) {
      if (t.from.level !== d.level || t.from.phase !== d.phase) continue;
      for (const c of t.when) {
        if (c.kind !== 'everyone_negative_on_day') continue;
        const day = calendarDayOf(d, c.day);
        if (day >= input.today) continue;
        wanted.push({
          key: `${d.id}|${day}`,
          placeId: d.placeId,
          sourceId: dayTestSourceId(d.id, d.periodStartDay, c.day),
          dayStart: startOfDay(day, input.timeZone),
          dayEnd: endOfDay(day, input.timeZone),
        });
      }
    }
  }
  const out = new Map<string, DayCoverage>();
  if (wanted.length === 0) return out;
  const found = await dayTestCoverage(input.db, wanted);
  for (const w of wanted) {
    const c = found.get(w.sourceId);
    if (c) out.set(w.key, c);
    else if ((await input.residentCount(w.placeId)) === 0) out.set(w.key, { residents: 0, negative: 0 });
  }
  return out;
}

/**
 * Every active designation, evaluated, in pages of `pageSize` (for the writer). The designations
 * are read first, then the facts in one pass each, then the rules run page by page.
 */
export async function* evaluateAll(
  input: EvaluationInput,
  pageSize = 2000,
): AsyncGenerator<EvaluatedPlace[]> {
  const all: StoredDesignation[] = [];
  for (let after = 0; ;) {
    const page = await activeDesignationsPage(input.db, after, pageSize);
    all.push(...page);
    if (page.length < pageSize) break;
    after = page[page.length - 1].id;
  }
  if (all.length === 0) return;
  const facts: Facts = {
    positives: await allPositivesSince(input.db, earliestDay(all)),
    holds: await activeHolds(input.db, null),
  };
  for (let i = 0; i < all.length; i += pageSize) {
    yield await evaluatePage(input, all.slice(i, i + pageSize), facts);
  }
}
