import { assertCaseMove, isLiveCase, type CaseState } from '../../domain/cases/case.ts';
import {
  evaluateCaseDischarge,
  evaluateQuarantineRelease,
  type DischargeVerdict,
  type StayTest,
} from '../../domain/cases/discharge.ts';
import { FACILITY_EVENT_TYPES } from '../../domain/cases/events.ts';
import { requireReason } from '../../domain/cases/transfer-order.ts';
import { DomainError, invalid } from '../../domain/errors.ts';
import { addDays, dayOf, startOfDay } from '../../domain/time/calendar.ts';
import {
  endAdmission,
  findLiveAdmissionOfCase,
  insertStayTest,
  stayTests,
  type AdmissionRow,
  type StayTestRow,
} from '../../store/cases/admissions.ts';
import { liveAssignments, releaseAssignments } from '../../store/cases/bed-assignments.ts';
import { findCase, setCaseState, type CaseRow } from '../../store/cases/case-rows.ts';
import { findOpenOrderOfCase } from '../../store/cases/orders.ts';
import type { AppContext, UnitOfWork } from '../context.ts';
import {
  currentOrPlannedEpisodes,
  endEpisodes,
  endEpisodesBySource,
  openEpisode,
} from '../kernel/control-episodes.ts';
import { getActiveRuleSet } from '../kernel/rule-sets.ts';
import type { Actor } from './actor.ts';
import { loadFacilities } from './facilities-cache.ts';
import { facilityRegion, recordCaseMoves } from './publish.ts';
import { forgetPoolSnapshot } from './transfer-orders.ts';
import { cancelOrder } from './transport.ts';

/** A stay from admission to discharge: tests during the stay, the discharge decision, death. */
export interface StayTestInput {
  sampledAt: number;
  result: 'negative' | 'positive';
  ct?: number | null;
}

function requireLive(a: AdmissionRow): void {
  if (a.ended_at != null) throw new DomainError('conflict', `admission ${a.id} ended (${a.outcome}) already`);
}

export async function recordStayTest(
  uow: UnitOfWork,
  a: AdmissionRow,
  input: StayTestInput,
  actor: Actor,
): Promise<StayTestRow> {
  requireLive(a);
  if (!Number.isFinite(input.sampledAt)) {
    throw invalid('sampledAt', 'must be an instant (epoch ms)', input.sampledAt);
  }
  if (input.sampledAt < a.admitted_at) throw invalid('sampledAt', 'is before the admission', input.sampledAt);
  if (input.sampledAt > uow.now) throw invalid('sampledAt', 'is in the future', input.sampledAt);
  if (input.result !== 'negative' && input.result !== 'positive') {
    throw invalid('result', 'must be negative or positive', input.result);
  }
  if (input.ct != null && !(input.ct > 0 && input.ct < 50)) {
    throw invalid('ct', 'must be between 0 and 50', input.ct);
  }
  const row = await insertStayTest(uow.trx, {
    district_id: a.district_id,
    admission_id: a.id,
    sampled_at: input.sampledAt,
    result: input.result,
    ct: input.ct ?? null,
    recorded_at: uow.now,
    recorded_by: actor.userId,
  });
  const facility = (await loadFacilities(uow.trx, [a.facility_id])).get(a.facility_id)!;
  uow.publish({
    type: FACILITY_EVENT_TYPES.testRecorded,
    occurredAt: uow.now,
    regionIds: [facilityRegion(facility)],
    personId: a.person_id,
    organisationIds: [facility.organisationId],
    payload: {
      admissionId: a.id,
      facilityId: a.facility_id,
      testId: row.id,
      sampledAt: row.sampled_at,
      result: row.result,
      ct: row.ct,
    },
  });
  return row;
}

const toStayTest = (t: StayTestRow): StayTest => ({ sampledAt: t.sampled_at, result: t.result, ct: t.ct });

/** Whether the rule set's criteria let this stay end now. */
export async function dischargeVerdict(
  ctx: AppContext,
  uow: UnitOfWork,
  a: AdmissionRow,
): Promise<DischargeVerdict> {
  const rules = await getActiveRuleSet(ctx, uow.trx);
  const tests = (await stayTests(uow.trx, a.id)).map(toStayTest);
  if (a.kind === 'contact') {
    return evaluateQuarantineRelease(
      tests,
      a.admitted_at,
      uow.now,
      rules.contacts.close,
      ctx.config.timeZone,
    );
  }
  return evaluateCaseDischarge(tests, a.admitted_at, rules.discharge.shelterHospital);
}

/**
 * Ends a stay: frees the bed, ends the control episode the admission opened and, for a case,
 * moves it to discharged (or died). A close contact released from central quarantine starts home
 * health monitoring when the rule set's protocol has it.
 */
async function endStay(
  ctx: AppContext,
  uow: UnitOfWork,
  a: AdmissionRow,
  end: { outcome: 'discharged' | 'died'; reason: string; overrideReason: string | null },
  actor: Actor,
): Promise<AdmissionRow> {
  const tz = ctx.config.timeZone;
  await endAdmission(uow.trx, a.id, {
    at: uow.now,
    day: dayOf(uow.now, tz),
    outcome: end.outcome,
    reason: end.reason,
    overrideReason: end.overrideReason,
    by: actor.userId,
  });
  await releaseAssignments(
    uow.trx,
    (await liveAssignments(uow.trx, [a.order_id])).filter((x) => x.status === 'occupied'),
    uow.now,
  );
  forgetPoolSnapshot(uow);
  const endReason = end.outcome === 'died' ? 'died' : 'discharged';
  await endEpisodesBySource(uow, { type: 'admission', id: String(a.id) }, endReason);
  // The quarantine tracing opened and the admission adopted ends with the stay too.
  if (a.episode_id != null) await endEpisodes(uow, { ids: [a.episode_id] }, endReason);
  const facility = (await loadFacilities(uow.trx, [a.facility_id])).get(a.facility_id)!;
  if (a.case_id != null) {
    const c = await findCase(uow.trx, a.case_id);
    if (c && isLiveCase(c.state as CaseState)) {
      assertCaseMove(c.id, c.state as CaseState, end.outcome);
      await setCaseState(uow.trx, [c.id], end.outcome, uow.now);
      await recordCaseMoves(
        uow,
        [{ row: c, from: c.state, to: end.outcome, facility, reason: end.overrideReason ?? end.reason }],
        actor,
      );
    }
  }
  const rules = await getActiveRuleSet(ctx, uow.trx);
  const monitoring = rules.contacts.close.homeMonitoring;
  const plannedMonitoring =
    a.kind === 'contact'
      ? await currentOrPlannedEpisodes(uow.trx, [a.person_id], 'home_monitoring', uow.now)
      : new Map();
  // Tracing's plan may already hold the home monitoring that follows: it is not opened twice.
  if (a.kind === 'contact' && end.outcome === 'discharged' && monitoring && !plannedMonitoring.size) {
    const until = startOfDay(addDays(dayOf(uow.now, tz), monitoring.days), tz);
    await openEpisode(uow, {
      personId: a.person_id,
      kind: 'home_monitoring',
      from: uow.now,
      until,
      source: { type: 'admission', id: String(a.id) },
    });
  }
  const ended: AdmissionRow = {
    ...a,
    ended_at: uow.now,
    ended_day: dayOf(uow.now, tz),
    outcome: end.outcome,
    end_reason: end.reason,
    override_reason: end.overrideReason,
    ended_by: actor.userId,
  };
  uow.publish({
    type: FACILITY_EVENT_TYPES.discharged,
    occurredAt: uow.now,
    regionIds: [facilityRegion(facility), a.facility_district_id],
    personId: a.person_id,
    organisationIds: [facility.organisationId],
    payload: {
      admissionId: a.id,
      facilityId: a.facility_id,
      bedKind: a.bed_kind,
      bedNo: a.bed_no,
      personId: a.person_id,
      caseId: a.case_id,
      outcome: end.outcome,
      reason: end.reason,
      overrideReason: end.overrideReason,
    },
  });
  return ended;
}

/** Discharges when the criteria are met; otherwise only with an override reason (recorded). */
export async function dischargeAdmission(
  ctx: AppContext,
  uow: UnitOfWork,
  a: AdmissionRow,
  overrideReason: string | null | undefined,
  actor: Actor,
) {
  requireLive(a);
  const verdict = await dischargeVerdict(ctx, uow, a);
  let override: string | null = null;
  if (!verdict.eligible) {
    if (!overrideReason?.trim()) {
      throw new DomainError('discharge_criteria_not_met', `admission ${a.id}: ${verdict.reason}`, [
        {
          field: 'overrideReason',
          message: `criteria not met (${verdict.reason}); give a reason to discharge anyway`,
        },
      ]);
    }
    override = requireReason('overrideReason', overrideReason, 'discharging before the criteria are met');
  }
  const admission = await endStay(
    ctx,
    uow,
    a,
    { outcome: 'discharged', reason: verdict.reason, overrideReason: override },
    actor,
  );
  return { admission, verdict };
}

/** Records a death: ends the stay or cancels the transfer, and closes the case. */
export async function recordDeath(
  ctx: AppContext,
  uow: UnitOfWork,
  c: CaseRow,
  reason: string,
  actor: Actor,
): Promise<void> {
  const why = requireReason('reason', reason, 'recording a death');
  if (!isLiveCase(c.state as CaseState)) assertCaseMove(c.id, c.state as CaseState, 'died');
  const stay = await findLiveAdmissionOfCase(uow.trx, c.id);
  if (stay) {
    await endStay(ctx, uow, stay, { outcome: 'died', reason: why, overrideReason: null }, actor);
    return;
  }
  const order = await findOpenOrderOfCase(uow.trx, c.id);
  if (order) await cancelOrder(uow, order, `died: ${why}`, actor, false);
  const current = (await findCase(uow.trx, c.id))!;
  assertCaseMove(c.id, current.state as CaseState, 'died');
  await setCaseState(uow.trx, [c.id], 'died', uow.now);
  await recordCaseMoves(uow, [{ row: current, from: current.state, to: 'died', reason: why }], actor);
}
