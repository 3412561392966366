import { invalid } from '../../domain/errors.ts';
import {
  applyDesignate,
  applyEnd,
  applyHold,
  applyNotePositive,
  type DesignationDraft,
} from '../../domain/zones/apply.ts';
import type { ConditionResult, LevelAndPhase, ZoneChange } from '../../domain/zones/types.ts';
import { insertChanges, supersedePending } from '../../store/zones/changes.ts';
import {
  designationById,
  designationOfPlace,
  holdsOf,
  insertDesignation,
  placeInfo,
  updateDesignation,
  type StoredDesignation,
} from '../../store/zones/designations.ts';
import { buildingsOf } from '../../store/zones/places.ts';
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
  const { uow } = rt;
  const place = before ?? (await placeFields(rt, draft.placeId));
  const fields = { ...place, ...draft, ruleSet: rt.ruleSet };
  let saved: StoredDesignation;
  if (before) {
    saved = { ...before, ...fields, id: before.id };
    await updateDesignation(uow.trx, saved, uow.now);
  } else {
    saved = await insertDesignation(uow.trx, fields, uow.now);
  }
  const moved =
    !before ||
    before.level !== saved.level ||
    before.phase !== saved.phase ||
    before.periodStartDay !== saved.periodStartDay ||
    !sameHold(before, saved);
  const from: LevelAndPhase | null = before ? { level: before.level, phase: before.phase } : null;
  await insertChanges(uow.trx, [
    {
      district_id: saved.districtId,
      designation_id: saved.id,
      place_id: saved.placeId,
      at: uow.now,
      day: rt.today,
      change: options.change,
      from_level: from?.level ?? null,
      from_phase: from?.phase ?? null,
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
    },
  ]);
  if (!moved) return saved;
  if (before) {
    await supersedePending(
      uow.trx,
      saved.districtId,
      saved.id,
      uow.now,
      `superseded: ${options.reason.text}`,
    );
  }
  publishZoneChange(rt, saved, options.change, from, options.reason);
  await orderDayTests(rt, before, saved);
  if (!before || before.level !== saved.level || before.levelSince !== saved.levelSince) {
    await syncResidents(rt, await buildingsOf(uow.trx, saved.placeId));
  }
  return saved;
}

function sameHold(a: StoredDesignation, b: StoredDesignation): boolean {
  return (
    (a.hold?.untilDay ?? null) === (b.hold?.untilDay ?? null) &&
    (a.hold?.compoundDesignationId ?? null) === (b.hold?.compoundDesignationId ?? null)
  );
}

async function placeFields(rt: ZoneRuntime, placeId: number) {
  const place = await placeInfo(rt.uow.trx, placeId);
  if (!place) throw invalid('placeId', 'no such place', placeId);
  return {
    districtId: place.districtId,
    streetId: place.streetId,
    committeeId: place.committeeId,
    placeKind: place.kind,
    parentPlaceId: place.parentPlaceId,
  };
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
