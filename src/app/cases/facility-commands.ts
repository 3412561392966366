import type { Principal } from '../../domain/access/principal.ts';
import { requireAction } from '../../domain/cases/policy.ts';
import { DomainError } from '../../domain/errors.ts';
import {
  findAdmission,
  listAdmissionRows,
  stayTests,
  type AdmissionRow,
} from '../../store/cases/admissions.ts';
import { loadBedPools, type PoolRow } from '../../store/cases/beds.ts';
import { inTransaction, type AppContext, type UnitOfWork } from '../context.ts';
import { actorOf } from './actor.ts';
import { admitOrders, type AdmissionItem } from './admissions.ts';
import {
  bedForecast,
  createFacility,
  setBeds,
  type BedsInput,
  type ForecastRow,
  type NewFacilityInput,
} from './facilities.ts';
import { loadFacilities, type FacilityInfo } from './facilities-cache.ts';
import { facilityVisible, outOfScope } from './scope.ts';
import { dischargeAdmission, dischargeVerdict, recordStayTest, type StayTestInput } from './stays.ts';

/** Facility, admission and stay commands and reads for the API and CLI. */
async function facilityInScope(
  ctx: AppContext,
  uow: UnitOfWork,
  principal: Principal,
  id: number,
): Promise<FacilityInfo> {
  const facility = (await loadFacilities(uow.trx, [id])).get(id);
  if (!facility) {
    throw new DomainError('not_found', `facility ${id} not found`, [
      { field: 'facilityId', message: 'unknown facility', value: id },
    ]);
  }
  if (!(await facilityVisible(ctx, uow.trx, principal, facility))) throw outOfScope(`facility ${id}`);
  return facility;
}

async function admissionInScope(
  ctx: AppContext,
  uow: UnitOfWork,
  principal: Principal,
  id: number,
): Promise<{ admission: AdmissionRow; facility: FacilityInfo }> {
  const admission = await findAdmission(uow.trx, id);
  if (!admission) throw outOfScope(`admission ${id}`);
  const facility = await facilityInScope(ctx, uow, principal, admission.facility_id).catch(() => {
    throw outOfScope(`admission ${id}`);
  });
  return { admission, facility };
}

export interface FacilityView extends FacilityInfo {
  pools: PoolRow[];
}

/** Facilities with live occupancy by bed kind: region users see their area's, staff their own. */
export async function listFacilitiesFor(
  ctx: AppContext,
  principal: Principal,
  filter: { kind?: string; districtId?: number } = {},
): Promise<FacilityView[]> {
  requireAction(principal, 'facilities.read');
  return inTransaction(ctx, async (uow) => {
    const pools = await loadBedPools(uow.trx, { districtId: filter.districtId });
    const facilities = await loadFacilities(
      uow.trx,
      pools.map((p) => p.facilityId),
    );
    const out: FacilityView[] = [];
    for (const facility of [...facilities.values()].sort((a, b) => a.id - b.id)) {
      if (filter.kind && facility.kind !== filter.kind) continue;
      if (!(await facilityVisible(ctx, uow.trx, principal, facility))) continue;
      out.push({ ...facility, pools: pools.filter((p) => p.facilityId === facility.id) });
    }
    return out;
  });
}

export async function facilityDetailFor(
  ctx: AppContext,
  principal: Principal,
  id: number,
): Promise<FacilityView> {
  requireAction(principal, 'facilities.read');
  return inTransaction(ctx, async (uow) => {
    const facility = await facilityInScope(ctx, uow, principal, id);
    return { ...facility, pools: await loadBedPools(uow.trx, { facilityIds: [id] }) };
  });
}

export async function createFacilityFor(
  ctx: AppContext,
  principal: Principal,
  input: NewFacilityInput,
): Promise<FacilityView> {
  requireAction(principal, 'facilities.manage');
  if (
    principal.scope.kind !== 'region' ||
    !ctx.regions.isWithin(input.districtId, principal.scope.regionId)
  ) {
    throw new DomainError('forbidden', `district ${input.districtId} is outside your area`, [
      { field: 'districtId', message: 'outside your area' },
    ]);
  }
  return inTransaction(ctx, async (uow) => {
    const facility = await createFacility(ctx, uow, input, actorOf(principal));
    return { ...facility, pools: await loadBedPools(uow.trx, { facilityIds: [facility.id] }) };
  });
}

export async function setBedsFor(
  ctx: AppContext,
  principal: Principal,
  id: number,
  beds: BedsInput[],
): Promise<FacilityView> {
  requireAction(principal, 'facilities.manage');
  return inTransaction(ctx, async (uow) => {
    const facility = await facilityInScope(ctx, uow, principal, id);
    return { ...facility, pools: await setBeds(uow, facility, beds, actorOf(principal)) };
  });
}

/** Days to full per district, facility kind and bed kind, for the facilities the user sees. */
export async function forecastFor(
  ctx: AppContext,
  principal: Principal,
  windowDays?: number,
): Promise<ForecastRow[]> {
  const visible = await listFacilitiesFor(ctx, principal);
  return bedForecast(
    ctx,
    visible.flatMap((f) => f.pools),
    windowDays,
  );
}

export async function admitFor(
  ctx: AppContext,
  principal: Principal,
  facilityId: number,
  items: AdmissionItem[],
): Promise<AdmissionRow[]> {
  requireAction(principal, 'facilities.admit');
  return inTransaction(ctx, async (uow) => {
    const facility = await facilityInScope(ctx, uow, principal, facilityId);
    return admitOrders(ctx, uow, facility, items, actorOf(principal));
  });
}

export async function listAdmissionsFor(
  ctx: AppContext,
  principal: Principal,
  facilityId: number,
  query: { live?: boolean; beforeId?: number; limit: number },
): Promise<AdmissionRow[]> {
  requireAction(principal, 'facilities.read');
  await inTransaction(ctx, (uow) => facilityInScope(ctx, uow, principal, facilityId));
  return listAdmissionRows(ctx.store.db, { facilityIds: [facilityId], region: null, ...query });
}

export async function admissionDetailFor(ctx: AppContext, principal: Principal, id: number) {
  requireAction(principal, 'facilities.read');
  return inTransaction(ctx, async (uow) => {
    const { admission } = await admissionInScope(ctx, uow, principal, id);
    const tests = await stayTests(uow.trx, id);
    const verdict = admission.ended_at == null ? await dischargeVerdict(ctx, uow, admission) : null;
    return { admission, tests, verdict };
  });
}

export async function recordTestFor(
  ctx: AppContext,
  principal: Principal,
  admissionId: number,
  input: StayTestInput,
) {
  requireAction(principal, 'facilities.admit');
  return inTransaction(ctx, async (uow) => {
    const { admission } = await admissionInScope(ctx, uow, principal, admissionId);
    return { test: await recordStayTest(uow, admission, input, actorOf(principal)), admission };
  });
}

export async function dischargeFor(
  ctx: AppContext,
  principal: Principal,
  admissionId: number,
  overrideReason?: string | null,
) {
  requireAction(principal, 'facilities.admit');
  return inTransaction(ctx, async (uow) => {
    const { admission } = await admissionInScope(ctx, uow, principal, admissionId);
    return dischargeAdmission(ctx, uow, admission, overrideReason, actorOf(principal));
  });
}
