import { endOfDay, startOfDay, type CalendarDay } from '../../domain/time/calendar.ts';
import { calendarDayOf } from '../../domain/zones/conditions.ts';
import {
  mayMoveToday,
  proposeZoneTransitions,
  type CompoundFacts,
  type Evaluation,
} from '../../domain/zones/proposals.ts';
import type { DayCoverage, PositiveResident } from '../../domain/zones/types.ts';
import type { ZonesSection } from '../../domain/rules/zones-schema.ts';
import { activeDesignationsPage, type Db, type StoredDesignation } from '../../store/zones/designations.ts';
import { activeHolds, dayTestCoverage, dayTestSourceId, positivesIn } from '../../store/zones/places.ts';

/**
 * Loading what the evaluation needs and running the pure rules on each designation: positives
 * living there, held buildings and day-N test coverage, read for a page of designations in a few
 * indexed set queries.
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

/** Positives matter to a designation from its period's first day (the rules count those only). */
function earliestPeriodStart(designations: readonly StoredDesignation[]): CalendarDay {
  let min = designations[0].periodStartDay;
  for (const d of designations) if (d.periodStartDay < min) min = d.periodStartDay;
  return min;
}

export async function evaluatePage(
  input: EvaluationInput,
  page: readonly StoredDesignation[],
  explain = true,
): Promise<EvaluatedPlace[]> {
  if (page.length === 0) return [];
  const { db, zones, today } = input;
  const positives = await positivesIn(
    db,
    page.map((d) => d.placeId),
    earliestPeriodStart(page),
  );
  const holds = await activeHolds(
    db,
    page.filter((d) => !d.hold).map((d) => d.id),
  );
  const coverage = await coverageFor(input, page);
  // One facts object, pointed at each designation in turn: the rules run synchronously, and a
  // city's daily run would otherwise allocate an object and a closure per place.
  const placeFacts = new PlaceFactsCursor(coverage);
  return page.map((designation) => {
    placeFacts.point(
      designation.id,
      positives.get(designation.placeId) ?? [],
      holds.get(designation.id) ?? [],
    );
    return {
      designation,
      evaluation: proposeZoneTransitions(zones, designation, placeFacts, today, { explain }),
    };
  });
}

class PlaceFactsCursor implements CompoundFacts {
  positives: readonly PositiveResident[] = [];
  heldBuildingIds: readonly number[] = [];
  private designationId = 0;

  constructor(private readonly byKey: Map<string, DayCoverage>) {}

  point(designationId: number, positives: readonly PositiveResident[], held: readonly number[]): void {
    this.designationId = designationId;
    this.positives = positives;
    this.heldBuildingIds = held;
  }

  coverage(day: CalendarDay): DayCoverage | undefined {
    return this.byKey.get(`${this.designationId}|${day}`);
  }
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
 * are read first; those that time alone keeps where they are (most of them, any day) are settled
 * without more reading; the facts of the rest are read in a few set queries and the rules run.
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
  const settled: EvaluatedPlace[] = [];
  const candidates: StoredDesignation[] = [];
  for (const d of all) {
    if (mayMoveToday(input.zones, d, input.today)) candidates.push(d);
    else settled.push({ designation: d, evaluation: { proposal: null, blocked: [] } });
  }
  for (let i = 0; i < settled.length; i += pageSize) yield settled.slice(i, i + pageSize);
  for (let i = 0; i < candidates.length; i += pageSize) {
    yield await evaluatePage(input, candidates.slice(i, i + pageSize), false);
  }
}
