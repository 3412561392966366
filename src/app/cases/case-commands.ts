import type { Principal } from '../../domain/access/principal.ts';
import {
  isLiveCase,
  isSeverity,
  SEVERITIES,
  type CaseState,
  type Severity,
} from '../../domain/cases/case.ts';
import { CASE_EVENT_TYPES, TRANSFER_EVENT_TYPES } from '../../domain/cases/events.ts';
import { requireAction } from '../../domain/cases/policy.ts';
import { caseTransferNeed, needReason, assessRisk, type TransferNeed } from '../../domain/cases/risk.ts';
import { requireReason } from '../../domain/cases/transfer-order.ts';
import { DomainError, invalid } from '../../domain/errors.ts';
import { dayOf } from '../../domain/time/calendar.ts';
import { liveAssignments, releaseAssignments } from '../../store/cases/bed-assignments.ts';
import {
  findCase,
  listCaseRows,
  listTransitions,
  setCaseSeverity,
  type CaseListFilter,
  type CaseRow,
} from '../../store/cases/case-rows.ts';
import { findOpenOrderOfCase, ordersOfCase, updateOrder } from '../../store/cases/orders.ts';
import { loadProfile } from '../../store/cases/people.ts';
import { inTransaction, type AppContext, type UnitOfWork } from '../context.ts';
import { actorOf } from './actor.ts';
import { recordPositive, type IntakeResult, type PositiveReport } from './intake.ts';
import { leafRegion, recordOrderSteps } from './publish.ts';
import { outOfScope, ownFacilityIds, regionFilter, rowInRegion } from './scope.ts';
import { recordDeath } from './stays.ts';
import { forgetPoolSnapshot } from './transfer-orders.ts';

/** Case commands and reads for the API and CLI: policy (role) and scope (area) checked here. */
async function caseInScope(
  ctx: AppContext,
  uow: UnitOfWork,
  principal: Principal,
  id: number,
): Promise<CaseRow> {
  const row = await findCase(uow.trx, id);
  if (!row) throw outOfScope(`case ${id}`);
  if (rowInRegion(ctx, principal, row)) return row;
  // Facility staff reach the cases in (or on the way to) their own facility.
  const own = await ownFacilityIds(uow.trx, principal);
  if (
    own.length &&
    (row.facility_id != null
      ? own.includes(row.facility_id)
      : (await ordersOfCase(uow.trx, id)).some(
          (o) => o.facility_id != null && own.includes(o.facility_id) && o.status !== 'cancelled',
        ))
  ) {
    return row;
  }
  throw outOfScope(`case ${id}`);
}

/** A clinic's (or hospital's) report of a positive: the same intake as a screening result. */
export async function reportCase(
  ctx: AppContext,
  principal: Principal,
  report: Omit<PositiveReport, 'source'>,
): Promise<IntakeResult> {
  requireAction(principal, 'cases.report');
  return inTransaction(ctx, async (uow) => {
    const region = principal.scope.kind === 'region' ? ctx.regions.get(principal.scope.regionId) : undefined;
    const profile = await loadProfile(uow.trx, report.personId, region?.districtId);
    // A person outside the reporter's area reads as unknown: the report names nobody it may not see.
    if (
      !profile ||
      !rowInRegion(ctx, principal, { committee_id: profile.committeeId, street_id: profile.streetId })
    ) {
      throw new DomainError('not_found', `person ${report.personId} not found in your area`, [
        { field: 'personId', message: 'unknown person', value: report.personId },
      ]);
    }
    return recordPositive(
      ctx,
      uow,
      { ...report, source: 'clinic', districtHint: profile.districtId },
      actorOf(principal),
    );
  });
}

export async function listCasesFor(
  ctx: AppContext,
  principal: Principal,
  filter: Omit<CaseListFilter, 'region'>,
): Promise<CaseRow[]> {
  requireAction(principal, 'cases.read');
  return listCaseRows(ctx.store.db, { ...filter, region: regionFilter(ctx, principal) });
}

export async function caseDetailFor(ctx: AppContext, principal: Principal, id: number) {
  requireAction(principal, 'cases.read');
  return inTransaction(ctx, async (uow) => {
    const row = await caseInScope(ctx, uow, principal, id);
    const transitions = await listTransitions(uow.trx, row.district_id, 'case', id);
    const orders = await ordersOfCase(uow.trx, id);
    return { row, transitions, orders };
  });
}

/**
 * Corrects the clinical severity (a doctor's assessment). The need follows: an order still
 * waiting takes the new need; an allocated one gives its bed back and waits for a new allocation,
 * since a severe case must not go to a shelter bed reserved for a mild one.
 */
export async function changeSeverity(
  ctx: AppContext,
  principal: Principal,
  id: number,
  severity: Severity,
  reason: string,
): Promise<CaseRow> {
  requireAction(principal, 'cases.update');
  if (!isSeverity(severity)) throw invalid('severity', `must be one of ${SEVERITIES.join(', ')}`, severity);
  const why = requireReason('reason', reason, 'changing the severity');
  return inTransaction(ctx, async (uow) => {
    const row = await caseInScope(ctx, uow, principal, id);
    if (!isLiveCase(row.state as CaseState)) throw new DomainError('conflict', `case ${id} is ${row.state}`);
    await setCaseSeverity(uow.trx, id, severity);
    const profile = (await loadProfile(uow.trx, row.person_id, row.district_id))!;
    const risk = assessRisk(profile, Number(dayOf(row.sampled_at, ctx.config.timeZone).slice(0, 4)));
    const need: TransferNeed = caseTransferNeed(severity, risk.highRisk);
    const actor = actorOf(principal);
    uow.publish({
      type: CASE_EVENT_TYPES.severityChanged,
      occurredAt: uow.now,
      regionIds: [leafRegion(row)],
      personId: row.person_id,
      payload: {
        caseId: id,
        personId: row.person_id,
        districtId: row.district_id,
        from: row.severity,
        to: severity,
        need,
        reason: why,
        actor: actor.name,
      },
    });
    const order = await findOpenOrderOfCase(uow.trx, id);
    if (order && order.need !== need && (order.status === 'waiting' || order.status === 'allocated')) {
      await releaseAssignments(uow.trx, await liveAssignments(uow.trx, [order.id]), uow.now);
      forgetPoolSnapshot(uow);
      const patch = {
        need,
        need_reason: needReason(severity, risk),
        status: 'waiting',
        facility_id: null,
        facility_district_id: null,
        bed_kind: null,
        bed_no: null,
        allocated_at: null,
        allocated_by: null,
      };
      await updateOrder(uow.trx, order.id, patch);
      await recordOrderSteps(
        uow,
        TRANSFER_EVENT_TYPES.created,
        [
          {
            order: { ...order, ...patch },
            from: order.status,
            facility: null,
            reason: `need changed to ${need}: ${why}`,
          },
        ],
        actor,
      );
    }
    return { ...row, severity };
  });
}

export async function recordCaseDeath(
  ctx: AppContext,
  principal: Principal,
  id: number,
  reason: string,
): Promise<CaseRow> {
  requireAction(principal, 'cases.update');
  return inTransaction(ctx, async (uow) => {
    const row = await caseInScope(ctx, uow, principal, id);
    await recordDeath(ctx, uow, row, reason, actorOf(principal));
    return row;
  });
}
