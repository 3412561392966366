import { invalid } from '../../domain/errors.ts';
import {
  applyDesignate,
  applyEnd,
  applyHold,
  applyNotePositive,
  type DesignationDraft,
} from '../../domain/zones/apply.ts';
import type { ConditionResult, LevelAndPhase, ZoneChange } from '../../domain/zones/types.ts';
import { insertChanges, supersedePendingOf } from '../../store/zones/changes.ts';
import {
  designationById,
  designationOfPlace,
  holdsOf,
  insertDesignations,
  placeInfo,
  updateDesignation,
  type PlaceInfo,
  type StoredDesignation,
} from '../../store/zones/designations.ts';
import { buildingsOfPlaces } from '../../store/zones/places.ts';
import { orderDayTests, syncResidents } from './residents.ts';
import { publishZoneChange, type ZoneRuntime } from './runtime.ts';

/**
 * Storing a designation's move: the row, its history line with the reason, the end of a pending
 * proposal it makes stale, the day-N tests of its new phase, the residents' episodes and the
 * `zone.changed` event — all in the caller's unit of work.
 */
export interface SaveOptions {
  change: string;
  reason: { code: string; text: string };
  caseIds?: readonly string[];
  conditions?: readonly ConditionResult[];
  proposalId?: number | null;
}

export async function saveDesignation(
  rt: ZoneRuntime,
  before: StoredDesignation | null,
  draft: DesignationDraft,
  options: SaveOptions,
): Promise<StoredDesignation> {
  const [saved] = await saveDesignations(rt, [{ before, draft, options }]);
  return saved;
}

export interface DesignationMove {
  before: StoredDesignation | null;
  draft: DesignationDraft;
  options: SaveOptions;
  /** The place's fields when there is no `before` (read here when absent). */
  place?: PlaceFields;
}

/**
 * Many moves in one unit of work (a command centre's batch): each row is written, then the
 * history, day-N tests and residents of all of them in set statements — residents once over
 * every building, since a resident's zone is read from the stored rows after all are written.
 */
export async function saveDesignations(
  rt: ZoneRuntime,
  moves: readonly DesignationMove[],
): Promise<StoredDesignation[]> {
  const { uow } = rt;
  const fresh: Omit<StoredDesignation, 'id'>[] = [];
  for (const move of moves) {
    if (move.before) continue;
    const place = move.place ?? (await placeFields(rt, move.draft.placeId));
    fresh.push({ ...place, ...move.draft, ruleSet: rt.ruleSet });
  }
  const inserted = await insertDesignations(uow.trx, fresh, uow.now);
  const out: { saved: StoredDesignation; move: DesignationMove; moved: boolean }[] = [];
  for (const move of moves) {
    const { before, draft } = move;
    if (!before) {
      out.push({ saved: inserted.get(draft.placeId)!, move, moved: true });
      continue;
    }
    const saved: StoredDesignation = { ...before, ...draft, ruleSet: rt.ruleSet, id: before.id };
    await updateDesignation(uow.trx, saved, uow.now);
    const moved =
      before.level !== saved.level ||
      before.phase !== saved.phase ||
      before.periodStartDay !== saved.periodStartDay ||
      !sameHold(before, saved);
    out.push({ saved, move, moved });
  }
  await insertChanges(
    uow.trx,
    out.map(({ saved, move }) => changeRow(rt, move.before, saved, move.options)),
  );
  const resync: number[] = [];
  const stale = new Map<string, number[]>();
  for (const { saved, move, moved } of out) {
    if (!moved) continue;
    const { before, options } = move;
    if (before) {
      const reason = `superseded: ${options.reason.text}`;
      const ids = stale.get(reason) ?? [];
      ids.push(saved.id);
      stale.set(reason, ids);
    }
    const from: LevelAndPhase | null = before ? { level: before.level, phase: before.phase } : null;
    publishZoneChange(rt, saved, options.change, from, options.reason);
    if (!before || before.level !== saved.level || before.levelSince !== saved.levelSince) {
      resync.push(saved.placeId);
    }
  }
  for (const [reason, ids] of stale) await supersedePendingOf(uow.trx, ids, uow.now, reason);
  await orderDayTests(
    rt,
    out.filter((o) => o.moved).map((o) => ({ before: o.move.before, after: o.saved })),
  );
  if (resync.length) await syncResidents(rt, await buildingsOfPlaces(uow.trx, resync));
  return out.map((o) => o.saved);
}

function changeRow(
  rt: ZoneRuntime,
  before: StoredDesignation | null,
  saved: StoredDesignation,
  options: SaveOptions,
) {
  return {
    district_id: saved.districtId,
    designation_id: saved.id,
    place_id: saved.placeId,
    at: rt.uow.now,
    day: rt.today,
    change: options.change,
    from_level: before?.level ?? null,
    from_phase: before?.phase ?? null,
    to_level: saved.level,
    to_phase: saved.phase,
    period_start_day: saved.periodStartDay,
    reason_code: options.reason.code,
    reason: options.reason.text,
    details: JSON.stringify({
      caseIds: options.caseIds ?? [],
      conditions: options.conditions ?? [],
      holdUntilDay: saved.hold?.untilDay ?? null,
    }),
    proposal_id: options.proposalId ?? null,
    user_id: rt.actor.userId,
    username: rt.actor.username,
  };
}

function sameHold(a: StoredDesignation, b: StoredDesignation): boolean {
  return (
    (a.hold?.untilDay ?? null) === (b.hold?.untilDay ?? null) &&
    (a.hold?.compoundDesignationId ?? null) === (b.hold?.compoundDesignationId ?? null)
  );
}

/** Where a place is, as a designation records it. */
export type PlaceFields = Pick<
  StoredDesignation,
  'districtId' | 'streetId' | 'committeeId' | 'placeKind' | 'parentPlaceId'
>;

export function placeFieldsOf(place: PlaceInfo): PlaceFields {
  return {
    districtId: place.districtId,
    streetId: place.streetId,
    committeeId: place.committeeId,
    placeKind: place.kind,
    parentPlaceId: place.parentPlaceId,
  };
}

async function placeFields(rt: ZoneRuntime, placeId: number): Promise<PlaceFields> {
  const place = await placeInfo(rt.uow.trx, placeId);
  if (!place) throw invalid('placeId', 'no such place', placeId);
  return placeFieldsOf(place);
}

/** Applies the changes a positive calls for (on-positive.ts), in order. */
export async function applyZoneChanges(
  rt: ZoneRuntime,
  changes: readonly ZoneChange[],
  districtOf: (placeId: number) => number,
): Promise<StoredDesignation[]> {
  const out: StoredDesignation[] = [];
  for (const change of changes) {
    switch (change.kind) {
      case 'designate': {
        const before = await designationOfPlace(rt.uow.trx, change.placeId, districtOf(change.placeId));
        const saved = await saveDesignation(rt, before, applyDesignate(before, change, rt.uow.now), {
          change: change.reason.code === 'new_positive_restart' ? 'restart' : 'designate',
          reason: change.reason,
          caseIds: change.causeCaseIds,
        });
        await endHoldsOf(rt, saved, 'superseded: the compound was sealed again');
        out.push(saved);
        break;
      }
      case 'note_positive': {
        const before = await designationById(rt.uow.trx, change.designationId);
        if (!before) break;
        const after = applyNotePositive(before, change.positiveDay);
        out.push(
          await saveDesignation(rt, before, after, {
            change: 'note_positive',
            reason: change.reason,
            caseIds: 'caseIds' in change.reason ? change.reason.caseIds : [],
          }),
        );
        break;
      }
      case 'hold_building': {
        const before = await designationOfPlace(rt.uow.trx, change.buildingId, districtOf(change.buildingId));
        out.push(
          await saveDesignation(rt, before, applyHold(before, change, rt.uow.now), {
            change: 'hold',
            reason: change.reason,
            caseIds: change.causeCaseIds,
          }),
        );
        break;
      }
      case 'end': {
        const before = await designationById(rt.uow.trx, change.designationId);
        if (!before) break;
        const after = applyEnd(before, rt.zones.levels.precaution.phases[0], rt.today, rt.uow.now);
        out.push(await saveDesignation(rt, before, after, { change: 'superseded', reason: change.reason }));
        break;
      }
    }
  }
  return out;
}

/** A compound sealed again takes its held buildings back under its own seal. */
async function endHoldsOf(rt: ZoneRuntime, compound: StoredDesignation, text: string): Promise<void> {
  for (const held of await holdsOf(rt.uow.trx, compound.id)) {
    const after = applyEnd(held, rt.zones.levels.precaution.phases[0], rt.today, rt.uow.now);
    await saveDesignation(rt, held, after, { change: 'superseded', reason: { code: 'superseded', text } });
  }
}
