import {
  caseSourceKey,
  isSeverity,
  SEVERITIES,
  type CaseSource,
  type Severity,
} from '../../domain/cases/case.ts';
import { classifyCase } from '../../domain/cases/classification.ts';
import { assessRisk, caseTransferNeed, needReason } from '../../domain/cases/risk.ts';
import { invalid, notFound } from '../../domain/errors.ts';
import { dayOf } from '../../domain/time/calendar.ts';
import {
  findCaseBySource,
  findLiveCaseOfPerson,
  insertCase,
  type CaseRow,
} from '../../store/cases/case-rows.ts';
import { loadProfile } from '../../store/cases/people.ts';
import type { AppContext, UnitOfWork } from '../context.ts';
import { activeEpisodes } from '../kernel/control-episodes.ts';
import { getActiveRuleSet } from '../kernel/rule-sets.ts';
import type { Actor } from './actor.ts';
import { publishCaseCreated, recordCaseMoves } from './publish.ts';
import { createTransferOrder } from './transfer-orders.ts';

/**
 * Case intake: a positive single tube (screening, pool retest, quarantine test) or a clinic report
 * becomes exactly one case, classified at its sampling instant (社会面 or inside control), with
 * its risk from the registry and a transfer order to the facility its need calls for.
 */
export interface PositiveReport {
  personId: number;
  source: CaseSource;
  /** Tube code or clinic report number: with the person, the case's identity. */
  sourceRef: string;
  roundId?: string | null;
  ct?: number | null;
  sampledAt: number;
  reportedAt: number;
  onsetAt?: number | null;
  severity?: Severity;
  /** The person's district when the caller knows it (a key look-up on PostgreSQL). */
  districtHint?: number | null;
}

export interface IntakeResult {
  caseRow: CaseRow;
  /** False when the source (or a live case of the person) already existed: nothing was written. */
  created: boolean;
  orderId: number | null;
}

/** Clock skew tolerated between a lab's or clinic's clock and ours. */
const FUTURE_SKEW_MS = 10 * 60_000;

export function validatePositive(r: PositiveReport, now: number): void {
  if (!Number.isInteger(r.personId) || r.personId <= 0) {
    throw invalid('personId', 'must be a positive integer', r.personId);
  }
  if (!r.sourceRef?.trim()) throw invalid('sourceRef', 'name the tube or report');
  if (!Number.isFinite(r.sampledAt)) throw invalid('sampledAt', 'must be an instant (epoch ms)', r.sampledAt);
  if (!Number.isFinite(r.reportedAt)) {
    throw invalid('reportedAt', 'must be an instant (epoch ms)', r.reportedAt);
  }
  if (r.sampledAt > now + FUTURE_SKEW_MS) throw invalid('sampledAt', 'is in the future', r.sampledAt);
  if (r.reportedAt > now + FUTURE_SKEW_MS) throw invalid('reportedAt', 'is in the future', r.reportedAt);
  if (r.reportedAt < r.sampledAt) throw invalid('reportedAt', 'is before sampledAt', r.reportedAt);
  if (r.onsetAt != null && (!Number.isFinite(r.onsetAt) || r.onsetAt > r.reportedAt)) {
    throw invalid('onsetAt', 'must be an instant before the report', r.onsetAt);
  }
  if (r.ct != null && !(r.ct > 0 && r.ct < 50)) throw invalid('ct', 'must be between 0 and 50', r.ct);
  if (r.severity !== undefined && !isSeverity(r.severity)) {
    throw invalid('severity', `must be one of ${SEVERITIES.join(', ')}`, r.severity);
  }
}

export async function recordPositive(
  ctx: AppContext,
  uow: UnitOfWork,
  report: PositiveReport,
  actor: Actor,
): Promise<IntakeResult> {
  validatePositive(report, uow.now);
  const tz = ctx.config.timeZone;
  const profile = await loadProfile(uow.trx, report.personId, report.districtHint);
  if (!profile) throw notFound(`person ${report.personId}`);
  const sourceKey = caseSourceKey(report.source, report.sourceRef.trim(), report.personId);
  const existing = await findCaseBySource(uow.trx, profile.districtId, sourceKey);
  if (existing) return { caseRow: existing, created: false, orderId: null };
  // A person is one case until discharged: a further positive (a retest in the shelter) is not a new case.
  const live = await findLiveCaseOfPerson(uow.trx, report.personId);
  if (live) return { caseRow: live, created: false, orderId: null };

  const rules = await getActiveRuleSet(ctx, uow.trx);
  const episodes = await activeEpisodes(uow.trx, report.personId, report.sampledAt);
  const { classification, activeKinds } = classifyCase(episodes, report.sampledAt, rules.community);
  const risk = assessRisk(profile, Number(dayOf(report.sampledAt, tz).slice(0, 4)));
  const severity: Severity = report.severity ?? 'unassessed';
  const inserted = await insertCase(uow.trx, {
    district_id: profile.districtId,
    street_id: profile.streetId,
    committee_id: profile.committeeId,
    person_id: report.personId,
    place_id: profile.placeId,
    household_id: profile.householdId,
    source: report.source,
    source_key: sourceKey,
    source_ref: report.sourceRef.trim(),
    round_id: report.roundId ?? null,
    ct: report.ct ?? null,
    sampled_at: report.sampledAt,
    reported_at: report.reportedAt,
    sampled_day: dayOf(report.sampledAt, tz),
    reported_day: dayOf(report.reportedAt, tz),
    classification,
    control_kinds: activeKinds.join(','),
    rule_set: `${rules.name}@${rules.version}`,
    severity,
    high_risk: risk.highRisk ? 1 : 0,
    risk_factors: risk.factors.join(','),
    state: 'awaiting_transfer',
    state_at: uow.now,
    facility_id: null,
    created_at: uow.now,
    created_by: actor.userId,
  });
  if (!inserted) {
    const raced = await findCaseBySource(uow.trx, profile.districtId, sourceKey);
    if (!raced) throw notFound(`case ${sourceKey}`);
    return { caseRow: raced, created: false, orderId: null };
  }
  publishCaseCreated(uow, inserted, report.onsetAt ?? null);
  await recordCaseMoves(
    uow,
    [
      { row: inserted, from: null, to: 'reported' },
      { row: inserted, from: 'reported', to: 'awaiting_transfer' },
    ],
    actor,
  );

  // 日清日结's clock starts at the result (or the sampling, as the rule set says).
  const foundAt = rules.sameDay.dayOf === 'sampling' ? report.sampledAt : report.reportedAt;
  const { order } = await createTransferOrder(uow, {
    personId: report.personId,
    need: caseTransferNeed(severity, risk.highRisk),
    needReason: needReason(severity, risk),
    source: { type: 'case', id: String(inserted.id) },
    caseId: inserted.id,
    districtHint: profile.districtId,
    foundAt,
    actor,
  });
  return { caseRow: inserted, created: true, orderId: order.id };
}
