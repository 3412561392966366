import { assertCaseMove, type CaseState } from '../../domain/cases/case.ts';
import { TRANSFER_EVENT_TYPES } from '../../domain/cases/events.ts';
import { assertOrderMove, type TransferStatus } from '../../domain/cases/transfer-order.ts';
import { DomainError, invalid } from '../../domain/errors.ts';
import { addDays, dayOf, startOfDay } from '../../domain/time/calendar.ts';
import { insertAdmissions, setAdmissionEpisodes, type AdmissionRow } from '../../store/cases/admissions.ts';
import {
  bedHolder,
  liveAssignments,
  moveAssignment,
  occupyAssignments,
  type LiveAssignment,
} from '../../store/cases/bed-assignments.ts';
import { bedTotal } from '../../store/cases/beds.ts';
import { findCaseHeads, setCaseState } from '../../store/cases/case-rows.ts';
import { chunked } from '../../store/cases/db.ts';
import {
  findOrderSteps,
  updateOrders,
  updateOrdersWithBeds,
  type OrderStepRow,
} from '../../store/cases/orders.ts';
import type { AppContext, UnitOfWork } from '../context.ts';
import { currentOrPlannedEpisodes, openEpisodes, type OpenedEpisode } from '../kernel/control-episodes.ts';
import { getActiveRuleSet } from '../kernel/rule-sets.ts';
import type { Actor } from './actor.ts';
import type { FacilityInfo } from './facilities-cache.ts';
import { recordCaseMoves, recordOrderSteps } from './publish.ts';
import { forgetPoolSnapshot } from './transfer-orders.ts';

/**
 * Admission (收治 / 入住): the receiving facility confirms the hand-off of people who arrived with
 * a transfer order. Each gets the numbered bed reserved for them (or one the staff name), and a
 * control episode opens through the kernel: isolation for a case, quarantine for a close contact.
 */
export interface AdmissionItem {
  orderId: number;
  /** A different free bed of the same kind than the one reserved. */
  bedNo?: number;
}

/** Loads the orders named by an admission; an unknown id is an admission without a transfer. */
export async function ordersForAdmission(
  uow: UnitOfWork,
  items: readonly AdmissionItem[],
): Promise<OrderStepRow[]> {
  if (items.length === 0) throw invalid('orders', 'name at least one transfer order');
  const ids = items.map((i) => i.orderId);
  if (new Set(ids).size !== ids.length) throw invalid('orders', 'an order is named twice');
  const byId = new Map((await findOrderSteps(uow.trx, ids)).map((o) => [o.id, o]));
  return items.map((item, i) => {
    const order = byId.get(item.orderId);
    if (!order) {
      throw new DomainError(
        'not_found',
        `transfer order ${item.orderId} not found: admission needs a transfer order`,
        [{ field: `orders.${i}.orderId`, message: 'no such transfer order', value: item.orderId }],
      );
    }
    return order;
  });
}

/** Each order's reserved bed in this facility; an order holding none here cannot be admitted. */
async function reservedBeds(uow: UnitOfWork, facility: FacilityInfo, orders: readonly OrderStepRow[]) {
  const assignments = new Map(
    (
      await liveAssignments(
        uow.trx,
        orders.map((o) => o.id),
      )
    ).map((a) => [a.orderId, a]),
  );
  return orders.map((order) => {
    const a = assignments.get(order.id);
    if (!a || a.facilityId !== facility.id) {
      throw new DomainError('conflict', `transfer order ${order.id} holds no bed in facility ${facility.id}`);
    }
    return a;
  });
}

/**
 * Staff may put someone in another free bed of the same kind than the one reserved (the reserved
 * one is broken, a family shares a room). A bed held by anyone — or named twice in the batch — is
 * refused as taken.
 */
async function moveToNamedBeds(
  uow: UnitOfWork,
  facility: FacilityInfo,
  beds: readonly LiveAssignment[],
  items: readonly AdmissionItem[],
): Promise<void> {
  const named = new Set<string>();
  for (const [i, bed] of beds.entries()) {
    const wanted = items[i].bedNo;
    if (wanted === undefined || wanted === bed.bedNo) continue;
    const total = (await bedTotal(uow.trx, facility.id, bed.bedKind)) ?? 0;
    if (!Number.isInteger(wanted) || wanted < 1 || wanted > total) {
      throw invalid(
        `orders.${i}.bedNo`,
        `facility ${facility.id} has ${bed.bedKind} beds 1–${total}`,
        wanted,
      );
    }
    const key = `${bed.bedKind}:${wanted}`;
    if (
      named.has(key) ||
      (await bedHolder(uow.trx, facility.districtId, facility.id, bed.bedKind, wanted)) != null
    ) {
      throw new DomainError(
        'bed_taken',
        `${bed.bedKind} bed ${wanted} in facility ${facility.id} is already taken`,
        [{ field: `orders.${i}.bedNo`, message: 'taken', value: wanted }],
      );
    }
    named.add(key);
    await moveAssignment(uow.trx, bed.id, wanted);
    bed.bedNo = wanted;
  }
}

export async function admitOrders(
  ctx: AppContext,
  uow: UnitOfWork,
  facility: FacilityInfo,
  items: readonly AdmissionItem[],
  actor: Actor,
): Promise<AdmissionRow[]> {
  const orders = await ordersForAdmission(uow, items);
  for (const [i, o] of orders.entries()) {
    if (o.facility_id !== facility.id) {
      throw new DomainError(
        'conflict',
        `transfer order ${o.id} goes to facility ${o.facility_id ?? '(none yet)'}, not ${facility.id}`,
        [{ field: `orders.${i}.orderId`, message: 'allocated to another facility', value: o.id }],
      );
    }
    assertOrderMove(o.id, o.status as TransferStatus, 'admitted', `orders.${i}.orderId`);
  }
  const beds = await reservedBeds(uow, facility, orders);
  await moveToNamedBeds(uow, facility, beds, items);
  await occupyAssignments(uow.trx, beds);
  forgetPoolSnapshot(uow);

  // One day for the whole batch (they share the instant); formatting it per order was measurable.
  const admittedDay = dayOf(uow.now, ctx.config.timeZone);
  const admissions = await insertAdmissions(
    uow.trx,
    orders.map((o, i) => ({
      district_id: o.district_id,
      person_id: o.person_id,
      case_id: o.case_id,
      order_id: o.id,
      kind: o.kind,
      need: o.need,
      facility_id: facility.id,
      facility_district_id: facility.districtId,
      bed_kind: beds[i].bedKind,
      bed_no: beds[i].bedNo,
      admitted_at: uow.now,
      admitted_day: admittedDay,
      admitted_by: actor.userId,
      episode_id: null,
      ended_at: null,
      ended_day: null,
      outcome: null,
      end_reason: null,
      override_reason: null,
      ended_by: null,
    })),
  );
  await openControl(ctx, uow, admissions);

  const admittedPatch = { status: 'admitted', admitted_at: uow.now };
  await updateOrders(
    uow.trx,
    orders.filter((o, i) => o.bed_no === beds[i].bedNo).map((o) => o.id),
    admittedPatch,
  );
  // The bed number too where staff put someone in another bed than the one reserved.
  await updateOrdersWithBeds(
    uow.trx,
    orders.flatMap((o, i) => (o.bed_no === beds[i].bedNo ? [] : [{ id: o.id, bedNo: beds[i].bedNo }])),
    admittedPatch,
  );
  const admittedOrders = orders.map((order, i) => ({
    ...order,
    status: 'admitted',
    admitted_at: uow.now,
    bed_no: beds[i].bedNo,
  }));
  await recordOrderSteps(
    uow,
    TRANSFER_EVENT_TYPES.admitted,
    admittedOrders.map((o, i) => ({ order: o, from: orders[i].status, facility })),
    actor,
  );

  const cases = await findCaseHeads(
    uow.trx,
    orders.map((o) => o.case_id).filter((id): id is number => id != null),
  );
  for (const c of cases) assertCaseMove(c.id, c.state as CaseState, 'admitted');
  await setCaseState(
    uow.trx,
    cases.map((c) => c.id),
    'admitted',
    uow.now,
    facility.id,
  );
  await recordCaseMoves(
    uow,
    cases.map((c) => ({ row: c, from: c.state, to: 'admitted', facility })),
    actor,
  );

  return admissions;
}

const EPISODE_SOURCES_PER_CALL = 200;

/**
 * Isolation for a case (until discharged); quarantine for a close contact, planned to the end of
 * the rule set's central-quarantine days (day 1 = the admission day). A contact whom tracing
 * already put under quarantine keeps that episode: the admission adopts it instead of opening a
 * second one, so the person is counted once and the quarantine runs from the exposure.
 */
async function openControl(ctx: AppContext, uow: UnitOfWork, admissions: AdmissionRow[]): Promise<void> {
  const rules = await getActiveRuleSet(ctx, uow.trx);
  const tz = ctx.config.timeZone;
  const quarantineEnd = startOfDay(addDays(dayOf(uow.now, tz), rules.contacts.close.quarantine.days), tz);
  const contacts = admissions.filter((a) => a.kind === 'contact').map((a) => a.person_id);
  const running = await currentOrPlannedEpisodes(uow.trx, contacts, 'quarantine', uow.now);
  const adopted = (a: AdmissionRow) =>
    a.kind === 'contact' ? running.get(a.person_id)?.find((e) => e.from <= uow.now) : undefined;
  const toOpen = admissions.filter((a) => !adopted(a));
  const opened: OpenedEpisode[] = [];
  // The kernel looks for existing episodes by person and source id when a call names at most
  // 200 sources, and reads every episode of the people otherwise (a convoy's facility share can
  // be larger: 17,500 rows read for nothing on the peak day).
  for (const share of chunked(toOpen, EPISODE_SOURCES_PER_CALL)) {
    opened.push(
      ...(await openEpisodes(
        uow,
        share.map((a) => ({
          personId: a.person_id,
          kind: a.kind === 'case' ? ('isolation' as const) : ('quarantine' as const),
          from: uow.now,
          until: a.kind === 'case' ? null : quarantineEnd,
          source: { type: 'admission', id: String(a.id) },
        })),
      )),
    );
  }
  const openedFor = new Map(toOpen.map((a, i) => [a.id, opened[i].episode.id]));
  const episodeOf = (a: AdmissionRow) => adopted(a)?.id ?? openedFor.get(a.id)!;
  await setAdmissionEpisodes(
    uow.trx,
    admissions.map((a) => ({ id: a.id, episodeId: episodeOf(a) })),
  );
  for (const a of admissions) a.episode_id = episodeOf(a);
}
