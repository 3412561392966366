import type { Principal } from '../../domain/access/principal.ts';
import { DomainError, invalid, notFound, type ErrorDetail } from '../../domain/errors.ts';
import {
  addCustody,
  boxTubes,
  custodyOf,
  findBox,
  insertBox,
  stampBoxTubes,
  tubesForBoxing,
  updateBox,
  type BoxRow,
} from '../../store/screening/boxes-repo.ts';
import { inTransaction, type AppContext, type UnitOfWork } from '../context.ts';
import { authoriseSite, loadSite } from './sites.ts';

/**
 * Transport (送): closed tubes are sealed into a box with its own barcode at the site, the box
 * is handed to a courier and received by a lab. Each hand-off records who, when and where
 * (chain of custody) and moves every tube of the box to the next stage with its time.
 */
export interface HandOffPlace {
  location?: string;
  lng?: number;
  lat?: number;
  note?: string;
}

export interface SealBoxInput extends HandOffPlace {
  barcode: string;
  siteId: number;
  /** Destination lab, if known at sealing; otherwise the receiving lab becomes it. */
  labId?: number;
  tubeCodes: string[];
}

function actorOrg(principal: Principal): number | null {
  return principal.scope.kind === 'organisation' ? principal.scope.organisationId : null;
}

function custody(
  uow: UnitOfWork,
  principal: Principal,
  boxId: number,
  action: 'sealed' | 'dispatched' | 'received',
  place: HandOffPlace,
) {
  return addCustody(uow.trx, {
    box_id: boxId,
    action,
    at: uow.now,
    user_id: principal.userId,
    organisation_id: actorOrg(principal),
    location: place.location ?? null,
    lng: place.lng ?? null,
    lat: place.lat ?? null,
    note: place.note ?? null,
  });
}

function publishBox(
  uow: UnitOfWork,
  type: string,
  box: BoxRow,
  streetId: number,
  organisationIds: (number | null)[],
  extra: Record<string, unknown> = {},
) {
  uow.publish({
    type,
    occurredAt: uow.now,
    regionIds: [streetId],
    organisationIds: organisationIds.filter((o): o is number => o != null),
    payload: {
      boxId: box.id,
      barcode: box.barcode,
      tubes: box.tubes,
      labId: box.lab_id,
      siteId: box.site_id,
      ...extra,
    },
  });
}

export async function sealBox(ctx: AppContext, principal: Principal, input: SealBoxInput): Promise<BoxRow> {
  const site = await authoriseSite(ctx, principal, input.siteId);
  if (await findBox(ctx.store.db, input.barcode)) {
    throw new DomainError('conflict', `box ${input.barcode} already exists`, [
      { field: 'barcode', message: 'already used' },
    ]);
  }
  if (input.labId != null) {
    const lab = await ctx.store.db
      .selectFrom('organisations')
      .select('kind')
      .where('id', '=', input.labId)
      .executeTakeFirst();
    if (lab?.kind !== 'lab') throw invalid('labId', `organisation ${input.labId} is not a lab`, input.labId);
  }
  const tubes = await tubesForBoxing(ctx.store.db, input.tubeCodes);
  const byCode = new Map(tubes.map((t) => [t.barcode, t]));
  const errors: ErrorDetail[] = [];
  input.tubeCodes.forEach((code, i) => {
    const t = byCode.get(code);
    const field = `tubeCodes.${i}`;
    if (!t || Number(t.site_id) !== site.id) {
      errors.push({ field, message: `tube ${code} was not filled at this site` });
    } else if (t.state !== 'closed' || t.box_id != null) {
      errors.push({ field, message: `tube ${code} is ${t.state}; only closed tubes go into a box` });
    }
    if (input.tubeCodes.indexOf(code) !== i) errors.push({ field, message: `tube ${code} is listed twice` });
  });
  if (errors.length > 0) {
    throw new DomainError('validation_failed', `${errors[0].field}: ${errors[0].message}`, errors);
  }
  return inTransaction(ctx, async (uow) => {
    const id = await insertBox(uow.trx, {
      district_id: site.district_id,
      barcode: input.barcode,
      site_id: site.id,
      lab_id: input.labId ?? null,
      state: 'sealed',
      tubes: tubes.length,
      created_at: uow.now,
      sealed_at: uow.now,
      dispatched_at: null,
      courier_org_id: null,
      courier_name: null,
      received_at: null,
    });
    await boxTubes(
      uow.trx,
      id,
      tubes.map((t) => Number(t.id)),
      uow.now,
    );
    await custody(uow, principal, id, 'sealed', input);
    const box = (await findBox(uow.trx, input.barcode))!;
    publishBox(uow, 'box.sealed', box, site.street_id, [site.organisation_id, box.lab_id]);
    return box;
  });
}

async function loadBox(ctx: AppContext, barcode: string): Promise<BoxRow> {
  const box = await findBox(ctx.store.db, barcode);
  if (!box) throw notFound(`box ${barcode}`);
  return box;
}

/** Handed to a courier: by the site's sampler (naming the courier) or by a courier picking it up. */
export async function dispatchBox(
  ctx: AppContext,
  principal: Principal,
  barcode: string,
  input: HandOffPlace & { courierOrgId?: number; courierName?: string },
): Promise<BoxRow> {
  const box = await loadBox(ctx, barcode);
  const site = (await loadSite(ctx, Number(box.site_id)))!;
  let courierOrg = input.courierOrgId ?? null;
  if (principal.role === 'transfer') courierOrg = actorOrg(principal);
  else await authoriseSite(ctx, principal, site.id);
  if (box.state !== 'sealed') {
    throw new DomainError('conflict', `box ${barcode} is ${box.state}, not sealed`, [
      { field: 'barcode', message: `box is ${box.state}` },
    ]);
  }
  return inTransaction(ctx, async (uow) => {
    await updateBox(uow.trx, box.id, {
      state: 'dispatched',
      dispatched_at: uow.now,
      courier_org_id: courierOrg,
      courier_name: input.courierName ?? null,
    });
    await stampBoxTubes(uow.trx, box.id, { state: 'dispatched', at: uow.now });
    await custody(uow, principal, box.id, 'dispatched', input);
    const updated = (await findBox(uow.trx, barcode))!;
    publishBox(uow, 'box.dispatched', updated, site.street_id, [
      site.organisation_id,
      courierOrg,
      box.lab_id,
    ]);
    return updated;
  });
}

export async function receiveBox(
  ctx: AppContext,
  principal: Principal,
  barcode: string,
  place: HandOffPlace,
): Promise<BoxRow> {
  if (principal.role !== 'lab') {
    throw new DomainError('forbidden', `role ${principal.role} may not receive boxes`);
  }
  const labId = actorOrg(principal)!;
  const box = await loadBox(ctx, barcode);
  if (box.lab_id != null && Number(box.lab_id) !== labId) {
    throw new DomainError('out_of_scope', `box ${barcode} is addressed to another lab`, [
      { field: 'barcode', message: 'addressed to another lab' },
    ]);
  }
  if (box.state !== 'dispatched') {
    throw new DomainError('conflict', `box ${barcode} is ${box.state}, not in transit`, [
      { field: 'barcode', message: `box is ${box.state}` },
    ]);
  }
  const site = (await loadSite(ctx, Number(box.site_id)))!;
  return inTransaction(ctx, async (uow) => {
    await updateBox(uow.trx, box.id, { state: 'received', received_at: uow.now, lab_id: labId });
    await stampBoxTubes(uow.trx, box.id, { state: 'received', at: uow.now, labId });
    await custody(uow, principal, box.id, 'received', place);
    const updated = (await findBox(uow.trx, barcode))!;
    publishBox(uow, 'box.received', updated, site.street_id, [
      site.organisation_id,
      box.courier_org_id,
      labId,
    ]);
    return updated;
  });
}

/** A box with its custody chain: for its site's organisation, its courier, its lab, and region users over its site. */
export async function getBox(ctx: AppContext, principal: Principal, barcode: string) {
  const box = await loadBox(ctx, barcode);
  const site = (await loadSite(ctx, Number(box.site_id)))!;
  const scope = principal.scope;
  const orgs = [site.organisation_id, box.courier_org_id, box.lab_id].filter((o) => o != null).map(Number);
  const allowed =
    (scope.kind === 'organisation' && orgs.includes(scope.organisationId)) ||
    (scope.kind === 'region' && ctx.regions.isWithin(site.street_id, scope.regionId));
  if (!allowed) throw new DomainError('out_of_scope', `box ${barcode} not found in your area`);
  const tubes = await ctx.store.db
    .selectFrom('tubes')
    .select('barcode')
    .where('box_id', '=', box.id)
    .orderBy('barcode')
    .execute();
  return { box, tubeCodes: tubes.map((t) => t.barcode), custody: await custodyOf(ctx.store.db, box.id) };
}
