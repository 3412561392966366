import type { Principal } from '../../domain/access/principal.ts';
import { DomainError, invalid, notFound } from '../../domain/errors.ts';
import {
  alertOpenKey,
  mayHandleAlerts,
  type Alert,
  type AlertAction,
  type AlertState,
} from '../../domain/kernel/alerts.ts';
import { inTransaction, type AppContext, type UnitOfWork } from '../context.ts';
import {
  alertConcerns,
  findAlert,
  findOpenAlerts,
  insertAlert,
  listAlertRows,
  markAcknowledged,
  markResolved,
  updateAlertDetails,
} from './repositories/alerts-repo.ts';

/**
 * Alerts as services: monitoring rules open and resolve them through the rule runner
 * (`applyAlertActions`); people list, acknowledge and resolve them through the API. Every change
 * publishes `alert.opened` / `alert.acknowledged` / `alert.resolved` to the alert's regions, so
 * each level it concerns sees it live.
 */
function publishAlert(
  uow: UnitOfWork,
  type: 'alert.opened' | 'alert.acknowledged' | 'alert.resolved',
  a: Alert,
): void {
  uow.publish({
    type,
    occurredAt: uow.now,
    regionIds: a.regionIds,
    payload: {
      alertId: a.id,
      rule: a.rule,
      level: a.level,
      subject: a.subject,
      details: a.details,
      owner: a.owner,
      resolution: a.resolution,
    },
  });
}

/** The one district an alert belongs to, when its regions lie in exactly one. */
function districtOf(ctx: AppContext, regionIds: number[]): number | null {
  const districts = new Set(
    regionIds.map((id) => ctx.regions.get(id)?.districtId).filter((d): d is number => d != null),
  );
  return districts.size === 1 ? [...districts][0] : null;
}

/** Applies a rule's actions in the caller's unit of work. Opening is idempotent per (rule, subject). */
export async function applyAlertActions(
  ctx: AppContext,
  uow: UnitOfWork,
  actions: readonly AlertAction[],
): Promise<void> {
  if (actions.length === 0) return;
  // A rule's sweep refreshes hundreds of alerts at once: read them in one go, and write only
  // the details that changed.
  const keys = actions.map((action) => alertOpenKey(action.rule, action.subject));
  const openByKey = await findOpenAlerts(uow.trx, keys);
  for (const [i, action] of actions.entries()) {
    const key = keys[i];
    const current = openByKey.get(key);
    if (action.kind === 'resolve') {
      if (!current) continue;
      await markResolved(uow.trx, current.id, uow.now, null, action.resolution);
      publishAlert(uow, 'alert.resolved', { ...current, resolvedAt: uow.now, resolution: action.resolution });
      openByKey.delete(key);
      continue;
    }
    if (current) {
      if (action.details && JSON.stringify(action.details) !== JSON.stringify(current.details)) {
        await updateAlertDetails(uow.trx, current.id, action.details);
        current.details = action.details;
      }
      continue;
    }
    // An alert about no particular region concerns the whole city (otherwise nobody would see it).
    const city = ctx.regions.city();
    const leaves = action.regionIds.length > 0 ? action.regionIds : city ? [city.id] : [];
    const regionIds = ctx.regions.expand(leaves);
    const opened = await insertAlert(uow.trx, {
      rule: action.rule,
      level: action.level,
      districtId: districtOf(ctx, regionIds),
      regionIds,
      subject: action.subject,
      openKey: key,
      details: action.details ?? {},
      openedAt: uow.now,
    });
    if (opened) {
      publishAlert(uow, 'alert.opened', opened);
      openByKey.set(key, opened);
    }
  }
}

/** Region-scoped users see the alerts concerning their region; other scopes have no alert view. */
function regionOf(principal: Principal): number {
  if (principal.scope.kind !== 'region') {
    throw new DomainError('forbidden', 'alerts are shown to region-scoped users');
  }
  return principal.scope.regionId;
}

export interface AlertListOptions {
  state?: AlertState;
  rule?: string;
  cursor?: number;
  limit?: number;
}

export async function listAlerts(ctx: AppContext, principal: Principal, options: AlertListOptions = {}) {
  const regionId = regionOf(principal);
  const limit = Math.min(Math.max(options.limit ?? 100, 1), 1000);
  const items = await listAlertRows(ctx.store.db, {
    regionId,
    state: options.state,
    rule: options.rule,
    beforeId: options.cursor,
    limit: limit + 1,
  });
  const page = items.slice(0, limit);
  return { items: page, nextCursor: items.length > limit ? page[page.length - 1].id : null };
}

/** An alert the principal may see; out of scope reads as not found (nothing leaks). */
async function visibleAlert(uow: UnitOfWork, principal: Principal, id: number): Promise<Alert> {
  const regionId = regionOf(principal);
  const alert = await findAlert(uow.trx, id);
  if (!alert || !(await alertConcerns(uow.trx, id, regionId))) {
    throw new DomainError('out_of_scope', `alert ${id} not found in your area`);
  }
  return alert;
}

export async function getAlert(ctx: AppContext, principal: Principal, id: number): Promise<Alert> {
  return inTransaction(ctx, (uow) => visibleAlert(uow, principal, id));
}

function requireHandler(principal: Principal): void {
  if (!mayHandleAlerts(principal.role)) {
    throw new DomainError('forbidden', `role ${principal.role} may not handle alerts`);
  }
}

/**
 * Takes an alert on: records who acknowledged it and its owner (the acknowledging user unless
 * another is named). Acknowledging again reassigns the owner. A resolved alert is a conflict.
 */
export async function acknowledgeAlert(
  ctx: AppContext,
  principal: Principal,
  id: number,
  options: { owner?: number } = {},
): Promise<Alert> {
  requireHandler(principal);
  return inTransaction(ctx, async (uow) => {
    const alert = await visibleAlert(uow, principal, id);
    if (alert.resolvedAt != null) throw new DomainError('conflict', `alert ${id} is already resolved`);
    const owner = options.owner ?? principal.userId;
    if (options.owner !== undefined) {
      const user = await uow.trx
        .selectFrom('users')
        .select('id')
        .where('id', '=', owner)
        .where('disabled_at', 'is', null)
        .executeTakeFirst();
      if (!user) throw notFound(`user ${owner}`);
    }
    await markAcknowledged(uow.trx, id, uow.now, principal.userId, owner);
    const updated: Alert = { ...alert, acknowledgedAt: uow.now, acknowledgedBy: principal.userId, owner };
    publishAlert(uow, 'alert.acknowledged', updated);
    return updated;
  });
}

/** Closes an alert by hand with what was done about it. */
export async function resolveAlert(
  ctx: AppContext,
  principal: Principal,
  id: number,
  resolution: string,
): Promise<Alert> {
  requireHandler(principal);
  if (!resolution.trim()) throw invalid('resolution', 'say how the alert was resolved');
  return inTransaction(ctx, async (uow) => {
    const alert = await visibleAlert(uow, principal, id);
    if (alert.resolvedAt != null) throw new DomainError('conflict', `alert ${id} is already resolved`);
    await markResolved(uow.trx, id, uow.now, principal.userId, resolution.trim());
    const updated: Alert = {
      ...alert,
      resolvedAt: uow.now,
      resolvedBy: principal.userId,
      resolution: resolution.trim(),
    };
    publishAlert(uow, 'alert.resolved', updated);
    return updated;
  });
}
