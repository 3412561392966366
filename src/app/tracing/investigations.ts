import type { Principal } from '../../domain/access/principal.ts';
import { DomainError, invalid } from '../../domain/errors.ts';
import { exposureWindowStart, investigationDeadline } from '../../domain/tracing/exposure.ts';
import { TRACING_EVENTS } from '../../domain/tracing/types.ts';
import { contactCountsOfCase } from '../../store/tracing/contacts.ts';
import {
  findInvestigation,
  insertInvestigation,
  insertTimelineEntries,
  listInvestigations,
  timelineOf,
  updateInvestigation,
  type InvestigationQuery,
  type InvestigationRow,
} from '../../store/tracing/investigations.ts';
import { placeFacts } from '../../store/tracing/people.ts';
import { inTransaction, type AppContext, type UnitOfWork } from '../context.ts';
import { tracingScope } from './access.ts';
import { activeContactRules } from './contacts.ts';
import { publishInvestigation, publishTrailPush } from './publish.ts';

/** What tracing needs from `case.created` (issue 4's payload). */
export interface NewCaseFacts {
  caseId: number;
  personId: number;
  districtId: number;
  streetId: number;
  placeId: number | null;
  householdId: number | null;
  sampledAt: number;
  reportedAt: number;
  onsetAt: number | null;
  classification: string | null;
  sourceCaseId: number | null;
}

/**
 * Opens the case's investigation (流调): deadline 24 h after the report, exposure counted from the
 * active protocol's window before onset or sample. Idempotent per case. Returns [row, created].
 */
export async function openInvestigation(
  ctx: AppContext,
  uow: UnitOfWork,
  c: NewCaseFacts,
): Promise<[InvestigationRow, boolean]> {
  const rules = await activeContactRules(ctx, uow);
  const [row, created] = await insertInvestigation(uow.trx, {
    district_id: c.districtId,
    street_id: c.streetId,
    case_id: c.caseId,
    person_id: c.personId,
    household_id: c.householdId,
    place_id: c.placeId,
    status: 'open',
    tracer_user_id: null,
    onset_at: c.onsetAt,
    sampled_at: c.sampledAt,
    reported_at: c.reportedAt,
    exposure_from_at: exposureWindowStart(
      { onsetAt: c.onsetAt, sampledAt: c.sampledAt },
      rules.exposureWindowDays,
      ctx.config.timeZone,
    ),
    deadline_at: investigationDeadline(c.reportedAt, rules.investigationDeadlineHours),
    completed_at: null,
    classification: c.classification,
    source_status: 'unknown',
    cluster_id: c.caseId,
    summary: null,
    created_at: uow.now,
    updated_at: uow.now,
  });
  if (created) publishInvestigation(uow, TRACING_EVENTS.investigationOpened, row);
  return [row, created];
}

/** An investigation inside the caller's scope, or out_of_scope (nothing leaks about others). */
export async function visibleInvestigation(
  ctx: AppContext,
  uow: UnitOfWork,
  principal: Principal,
  id: number,
  action: 'read' | 'investigate' | 'direct',
): Promise<InvestigationRow> {
  const scope = tracingScope(ctx, principal, action);
  const inv = await findInvestigation(uow.trx, id, scope);
  if (!inv) throw new DomainError('out_of_scope', `investigation ${id} not found in your area`);
  return inv;
}

export async function listInvestigationsFor(
  ctx: AppContext,
  principal: Principal,
  q: Omit<InvestigationQuery, 'scope'>,
): Promise<InvestigationRow[]> {
  const scope = tracingScope(ctx, principal, 'read');
  return listInvestigations(ctx.store.db, { ...q, scope });
}

export async function investigationDetail(ctx: AppContext, principal: Principal, id: number) {
  return inTransaction(ctx, async (uow) => {
    const inv = await visibleInvestigation(ctx, uow, principal, id, 'read');
    const timeline = await timelineOf(uow.trx, inv.id);
    const contacts = await contactCountsOfCase(uow.trx, inv.case_id);
    return { inv, timeline, contacts };
  });
}

export interface InvestigationChanges {
  tracerUserId?: number | null;
  onsetAt?: number | null;
  summary?: string | null;
}

/**
 * A tracer's edits: who works the case, the onset date (which moves the exposure window), notes.
 * Assigning a tracer is directing work; the rest is interview work on one's own case.
 */
export async function changeInvestigation(
  ctx: AppContext,
  principal: Principal,
  id: number,
  changes: InvestigationChanges,
): Promise<InvestigationRow> {
  return inTransaction(ctx, async (uow) => {
    const action = changes.tracerUserId !== undefined ? 'direct' : 'investigate';
    const inv = await visibleInvestigation(ctx, uow, principal, id, action);
    if (inv.status === 'completed') {
      throw new DomainError('conflict', `investigation ${id} is completed; reopen it to change it`);
    }
    const set: Parameters<typeof updateInvestigation>[2] = { updated_at: uow.now };
    if (changes.tracerUserId !== undefined) {
      if (changes.tracerUserId != null) {
        const user = await uow.trx
          .selectFrom('users')
          .select(['id', 'role'])
          .where('id', '=', changes.tracerUserId)
          .where('disabled_at', 'is', null)
          .executeTakeFirst();
        if (!user) {
          throw invalid(
            'tracerUserId',
            `user ${changes.tracerUserId} does not exist or is disabled`,
            changes.tracerUserId,
          );
        }
        if (user.role !== 'tracer') {
          throw invalid(
            'tracerUserId',
            `user ${changes.tracerUserId} is not a tracer (${user.role})`,
            changes.tracerUserId,
          );
        }
      }
      set.tracer_user_id = changes.tracerUserId;
    }
    if (changes.onsetAt !== undefined) {
      if (changes.onsetAt != null && changes.onsetAt > uow.now) {
        throw invalid('onsetAt', 'onset cannot be in the future', changes.onsetAt);
      }
      const rules = await activeContactRules(ctx, uow);
      set.onset_at = changes.onsetAt;
      set.exposure_from_at = exposureWindowStart(
        { onsetAt: changes.onsetAt, sampledAt: inv.sampled_at },
        rules.exposureWindowDays,
        ctx.config.timeZone,
      );
    }
    if (changes.summary !== undefined) set.summary = changes.summary;
    const updated = await updateInvestigation(uow.trx, inv.id, set);
    publishInvestigation(uow, TRACING_EVENTS.investigationUpdated, updated, {
      changed: Object.keys(changes),
    });
    return updated;
  });
}

export interface TimelineInput {
  placeId?: number | null;
  description?: string;
  fromAt: number;
  untilAt: number;
}

/** Adds places and times to the case's timeline (行程轨迹), each checked against the exposure window. */
export async function addTimeline(
  ctx: AppContext,
  principal: Principal,
  id: number,
  entries: readonly TimelineInput[],
) {
  return inTransaction(ctx, async (uow) => {
    const inv = await visibleInvestigation(ctx, uow, principal, id, 'investigate');
    const places = await placeFacts(
      uow.trx,
      entries.flatMap((e) => (e.placeId == null ? [] : [e.placeId])),
    );
    entries.forEach((e, i) => {
      if (e.untilAt < e.fromAt) throw invalid(`entries.${i}.untilAt`, 'must not be before fromAt', e.untilAt);
      if (e.untilAt < inv.exposure_from_at) {
        throw invalid(
          `entries.${i}.untilAt`,
          `ends before the exposure window starts (${new Date(inv.exposure_from_at).toISOString()})`,
          e.untilAt,
        );
      }
      if (e.fromAt > uow.now) throw invalid(`entries.${i}.fromAt`, 'is in the future', e.fromAt);
      if (e.placeId != null && !places.has(e.placeId)) {
        throw invalid(`entries.${i}.placeId`, `place ${e.placeId} does not exist`, e.placeId);
      }
      if (e.placeId == null && !e.description?.trim()) {
        throw invalid(`entries.${i}.description`, 'say where, when there is no place id');
      }
    });
    const rows = await insertTimelineEntries(
      uow.trx,
      entries.map((e) => ({
        district_id: inv.district_id,
        investigation_id: inv.id,
        case_id: inv.case_id,
        place_id: e.placeId ?? null,
        place_district_id: e.placeId == null ? null : places.get(e.placeId)!.districtId,
        description: e.description?.trim() ?? '',
        from_at: e.fromAt,
        until_at: e.untilAt,
        created_by: principal.userId,
        created_at: uow.now,
      })),
    );
    publishInvestigation(uow, TRACING_EVENTS.investigationUpdated, inv, { timelineAdded: rows.length });
    const stays = rows.flatMap((r) =>
      r.place_id == null
        ? []
        : [{ placeId: r.place_id, ...places.get(r.place_id)!, from: r.from_at, until: r.until_at }],
    );
    publishTrailPush(uow, inv, stays, 'timeline');
    return rows;
  });
}

/** Closes the interview. The case's source status stays as links say (unknown stays flagged). */
export async function completeInvestigation(
  ctx: AppContext,
  principal: Principal,
  id: number,
  summary: string | null,
): Promise<InvestigationRow> {
  return inTransaction(ctx, async (uow) => {
    const inv = await visibleInvestigation(ctx, uow, principal, id, 'investigate');
    if (inv.status === 'completed') {
      throw new DomainError('conflict', `investigation ${id} is already completed`);
    }
    const updated = await updateInvestigation(uow.trx, inv.id, {
      status: 'completed',
      completed_at: uow.now,
      updated_at: uow.now,
      ...(summary != null ? { summary } : {}),
    });
    publishInvestigation(uow, TRACING_EVENTS.investigationCompleted, updated, {
      late: uow.now > inv.deadline_at,
    });
    return updated;
  });
}
