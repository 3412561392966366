import type { CordonEvent } from '../../domain/kernel/events.ts';
import { dayOf } from '../../domain/time/calendar.ts';
import { decideOnPositive, sealUnitOf } from '../../domain/zones/on-positive.ts';
import type { Residence } from '../../domain/zones/types.ts';
import type { EventConsumer } from '../../events/dispatcher.ts';
import { designationOfPlace, placeInfo } from '../../store/zones/designations.ts';
import { recordPositive } from '../../store/zones/places.ts';
import type { AppContext, UnitOfWork } from '../context.ts';
import { consumerUnitOfWork } from '../kernel/consumer-uow.ts';
import { applyZoneChanges } from './designations.ts';
import { zoneRuntime } from './runtime.ts';

/**
 * A case living in a place seals it at once (../SPEC "Zones"): the `case.created` consumer records
 * the positive (it dates "days without a positive") and applies what the rule set says a new
 * positive does — seal, restart the clock, or hold the building inside a compound.
 */
export interface CaseCreatedPayload {
  caseId: number | string;
  personId: number;
  districtId: number;
  /** The residence building. */
  placeId: number | null;
  sampledAt: number;
  reportedAt?: number;
}

export interface PositiveOutcome {
  recorded: boolean;
  designationIds: number[];
}

export async function sealForPositive(
  ctx: AppContext,
  uow: UnitOfWork,
  p: CaseCreatedPayload,
  at: number,
): Promise<PositiveOutcome> {
  if (p.placeId == null) return { recorded: false, designationIds: [] };
  const place = await placeInfo(uow.trx, p.placeId);
  if (!place) return { recorded: false, designationIds: [] };
  const rt = await zoneRuntime(ctx, uow);
  // Day 1 is the day the seal is decided: the case's creation, even if this runs later (a backlog).
  rt.today = dayOf(at, ctx.config.timeZone);
  const residence: Residence = { buildingId: place.id, compoundId: place.parentPlaceId };
  const unitId = sealUnitOf(residence, rt.zones);
  const caseId = String(p.caseId);
  const sampledDay = dayOf(p.sampledAt, ctx.config.timeZone);
  const recorded = await recordPositive(
    uow.trx,
    {
      districtId: place.districtId,
      caseId,
      personId: p.personId,
      buildingId: place.id,
      compoundId: place.parentPlaceId,
      unitPlaceId: unitId,
      sampledAt: p.sampledAt,
      sampledDay,
    },
    uow.now,
  );
  if (!recorded) return { recorded: false, designationIds: [] };
  // Places of one compound share its district; the building and its compound are looked up there.
  const district = () => place.districtId;
  const unit = await designationOfPlace(uow.trx, unitId, place.districtId);
  const building = unitId === place.id ? null : await designationOfPlace(uow.trx, place.id, place.districtId);
  const changes = decideOnPositive(rt.zones, { caseId, residence, sampledDay }, { unit, building }, rt.today);
  const saved = await applyZoneChanges(rt, changes, district);
  return { recorded: true, designationIds: saved.map((d) => d.id) };
}

export const ZONES_CASES_CONSUMER = 'zones.cases';

export function zonesCaseConsumer(ctx: AppContext): EventConsumer {
  return {
    name: ZONES_CASES_CONSUMER,
    types: ['case.created'],
    async handle(event: CordonEvent, trx) {
      const uow = consumerUnitOfWork(ctx, trx);
      await sealForPositive(ctx, uow, event.payload as unknown as CaseCreatedPayload, event.occurredAt);
      await uow.flush();
    },
  };
}
