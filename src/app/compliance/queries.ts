import type { Principal } from '../../domain/access/principal.ts';
import { DomainError } from '../../domain/errors.ts';
import { complianceAt, type Compliance } from '../../domain/compliance/state.ts';
import {
  groupLabels,
  openDutiesOf,
  overduePage,
  type OverduePerson,
  type OverdueScope,
} from '../../store/status/overdue.ts';
import { actorOf, audit } from '../access/audit.ts';
import { getScopedPerson } from '../access/scoped-people.ts';
import type { AppContext } from '../context.ts';
import { getActiveRuleSet } from '../kernel/rule-sets.ts';

/**
 * Compliance read-outs: one person's state (current / due / overdue) and the 应检未检 work lists
 * grouped by household, building or employer — scoped in the query, audited, exportable.
 */
export const OVERDUE_GROUPS = ['household', 'building', 'employer'] as const;
export type OverdueGroup = (typeof OVERDUE_GROUPS)[number];

/** The caller's cut of the list: their region (or a region inside it), or their own workers. */
export function overdueScope(ctx: AppContext, principal: Principal, regionId?: number): OverdueScope {
  const scope = principal.scope;
  if (scope.kind === 'organisation') {
    if (principal.role !== 'employer') {
      throw new DomainError('forbidden', `role ${principal.role} has no screening work list`);
    }
    return { kind: 'employer', organisationId: scope.organisationId };
  }
  if (scope.kind !== 'region') throw new DomainError('forbidden', 'work lists are for staff and employers');
  const target = regionId ?? scope.regionId;
  if (!ctx.regions.isWithin(target, scope.regionId)) {
    throw new DomainError('out_of_scope', `region ${target} is not in your area`, [
      { field: 'regionId', message: 'not in your area' },
    ]);
  }
  const region = ctx.regions.get(target);
  switch (region?.level) {
    case 'district':
      return { kind: 'district', districtId: region.id };
    case 'street':
      return { kind: 'street', districtId: region.districtId!, streetId: region.id };
    case 'committee':
      return { kind: 'committee', districtId: region.districtId!, committeeId: region.id };
    case 'city':
    case undefined:
      return { kind: 'all' };
  }
}

async function lateBefore(ctx: AppContext): Promise<number> {
  const { graceHours } = (await getActiveRuleSet(ctx)).compliance;
  return ctx.clock.now() - graceHours * 3_600_000;
}

export interface OverdueGroupView {
  group: OverdueGroup;
  id: number | null;
  label: string | null;
  people: (OverduePerson & { overdueSince: number })[];
}

/** One page of overdue people, grouped. The page is by person; groups never split across a page's rows. */
export async function overdueList(
  ctx: AppContext,
  principal: Principal,
  query: {
    groupBy: OverdueGroup;
    regionId?: number;
    afterPersonId?: number;
    limit?: number;
    requestId?: string;
  },
) {
  const scope = overdueScope(ctx, principal, query.regionId);
  if (scope.kind === 'employer' && query.groupBy !== 'employer') {
    throw new DomainError('forbidden', 'an employer lists its own workers only (groupBy=employer)', [
      { field: 'groupBy', message: 'employer only' },
    ]);
  }
  const limit = Math.min(Math.max(query.limit ?? 500, 1), 5000);
  const graceMs = (await getActiveRuleSet(ctx)).compliance.graceHours * 3_600_000;
  const rows = await overduePage(
    ctx.store.db,
    scope,
    await lateBefore(ctx),
    query.afterPersonId ?? 0,
    limit + 1,
  );
  const page = rows.slice(0, limit);
  const labels = await groupLabels(
    ctx.store.db,
    page.flatMap((p) => (p.buildingId == null ? [] : [p.buildingId])),
    page.flatMap((p) => (p.employerId == null ? [] : [p.employerId])),
  );
  const groups = new Map<string, OverdueGroupView>();
  for (const p of page) {
    const id =
      query.groupBy === 'household'
        ? p.householdId
        : query.groupBy === 'building'
          ? p.buildingId
          : p.employerId;
    const label =
      query.groupBy === 'building' && id != null
        ? (labels.buildings.get(id) ?? null)
        : query.groupBy === 'employer' && id != null
          ? (labels.employers.get(id) ?? null)
          : null;
    const key = String(id);
    const g = groups.get(key) ?? { group: query.groupBy, id, label, people: [] };
    g.people.push({ ...p, overdueSince: p.firstDueAt + graceMs });
    groups.set(key, g);
  }
  await audit(ctx, {
    actor: actorOf(principal),
    action: 'compliance.overdue.list',
    subjectType: 'person',
    subjectIds: page.map((p) => p.personId),
    fields: ['health'],
    requestId: query.requestId ?? null,
    details: { groupBy: query.groupBy, scope },
  });
  return {
    groups: [...groups.values()],
    nextCursor: rows.length > limit ? page[page.length - 1].personId : null,
  };
}

export const OVERDUE_CSV_COLUMNS = [
  'group',
  'group_id',
  'group_name',
  'person_id',
  'household_id',
  'building_id',
  'street_id',
  'committee_id',
  'employer_id',
  'occupation',
  'overdue_since',
  'open_duties',
] as const;

/**
 * The whole list as CSV rows, page by page (memory stays flat, no transaction is held): recorded
 * in the audit log with its filter before the first row leaves.
 */
export async function* overdueCsvRows(
  ctx: AppContext,
  principal: Principal,
  query: { groupBy: OverdueGroup; regionId?: number; requestId?: string },
): AsyncGenerator<(string | number | null)[][]> {
  const scope = overdueScope(ctx, principal, query.regionId);
  if (scope.kind === 'employer' && query.groupBy !== 'employer') {
    throw new DomainError('forbidden', 'an employer lists its own workers only (groupBy=employer)');
  }
  await audit(ctx, {
    actor: actorOf(principal),
    action: 'compliance.overdue.export',
    subjectType: 'person',
    subjectIds: [],
    fields: ['health'],
    requestId: query.requestId ?? null,
    details: { groupBy: query.groupBy, scope, format: 'csv' },
  });
  const before = await lateBefore(ctx);
  const graceMs = (await getActiveRuleSet(ctx)).compliance.graceHours * 3_600_000;
  let after = 0;
  for (;;) {
    const page = await overduePage(ctx.store.db, scope, before, after, 5000);
    if (page.length === 0) return;
    const labels = await groupLabels(
      ctx.store.db,
      page.flatMap((p) => (p.buildingId == null ? [] : [p.buildingId])),
      page.flatMap((p) => (p.employerId == null ? [] : [p.employerId])),
    );
    yield page.map((p) => {
      const id =
        query.groupBy === 'household'
          ? p.householdId
          : query.groupBy === 'building'
            ? p.buildingId
            : p.employerId;
      const name =
        query.groupBy === 'building' && id != null
          ? labels.buildings.get(id)
          : query.groupBy === 'employer' && id != null
            ? labels.employers.get(id)
            : null;
      return [
        query.groupBy,
        id,
        name ?? null,
        p.personId,
        p.householdId,
        p.buildingId,
        p.streetId,
        p.committeeId,
        p.employerId,
        p.occupation,
        new Date(p.firstDueAt + graceMs).toISOString(),
        p.openDuties,
      ];
    });
    after = page[page.length - 1].personId;
    if (page.length < 5000) return;
  }
}

/** One person's compliance: staff of their region, their employer, or the person. */
export async function personCompliance(
  ctx: AppContext,
  principal: Principal,
  personId: number,
): Promise<Compliance> {
  const scope = principal.scope;
  if (scope.kind === 'self' && scope.personId !== personId) {
    throw new DomainError('out_of_scope', 'a resident sees only their own duties');
  }
  if (scope.kind !== 'self') await getScopedPerson(ctx, principal, personId);
  const { graceHours } = (await getActiveRuleSet(ctx)).compliance;
  const open = await openDutiesOf(ctx.store.db, personId);
  return complianceAt(
    open.map((o) => ({ notBefore: o.not_before_at ?? o.created_at, dueAt: o.due_at })),
    ctx.clock.now(),
    graceHours,
    ctx.config.timeZone,
  );
}
