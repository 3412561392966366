import type { ContactsSection } from '../../domain/rules/schema.ts';
import { quarantinePlan, type QuarantinePlan } from '../../domain/tracing/quarantine-plan.ts';
import type { ContactDegree } from '../../domain/tracing/types.ts';
import { CONTROL_SOURCE } from '../../domain/tracing/types.ts';
import { startOfDay } from '../../domain/time/calendar.ts';
import type { ContactRow } from '../../store/tracing/contacts.ts';
import type { AppContext, UnitOfWork } from '../context.ts';
import { endEpisodesBySource, openEpisodes, type OpenEpisodeInput } from '../kernel/control-episodes.ts';
import { cancelTestOrders, createTestOrders, type CreateTestOrderInput } from '../kernel/test-orders.ts';
import { orderQuarantineTransfers, withdrawQuarantineTransfer } from './transfers.ts';

const planCache = new WeakMap<ContactsSection, Map<string, QuarantinePlan>>();

/**
 * The plan for a degree starting at an instant. A transaction plans every contact from the same
 * `now`, so the calendar work (time-zone arithmetic, the slow part) is done once per degree, not
 * once per contact. Keyed by the rule-set section object: a new active set is a new key.
 */
export function planFor(
  ctx: AppContext,
  section: ContactsSection,
  degree: ContactDegree,
  startAt: number,
): QuarantinePlan {
  let byKey = planCache.get(section);
  if (!byKey) {
    byKey = new Map();
    planCache.set(section, byKey);
  }
  const key = `${degree}:${startAt}:${ctx.config.timeZone}`;
  let plan = byKey.get(key);
  if (!plan) {
    if (byKey.size > 64) byKey.clear();
    plan = quarantinePlan(section, degree, startAt, ctx.config.timeZone);
    byKey.set(key, plan);
  }
  return plan;
}

/**
 * Puts confirmed contacts under their plan from the active protocol edition, in the caller's
 * unit of work: control episodes (quarantine, then home monitoring) and quarantine-day test
 * orders through the kernel, and a transfer order to a quarantine hotel through the cases service
 * for those whose quarantine is centralised. Source of everything = the contact record, so
 * replays are idempotent (the kernel keys episodes and orders by source) and the plan can be
 * ended as one. Returns each contact's planned end.
 */
export async function startQuarantinePlans(
  ctx: AppContext,
  uow: UnitOfWork,
  contacts: readonly Pick<ContactRow, 'id' | 'person_id' | 'degree'>[],
  section: ContactsSection,
): Promise<Map<number, { edition: string; untilAt: number }>> {
  const episodes: OpenEpisodeInput[] = [];
  const orders: CreateTestOrderInput[] = [];
  const transfers: { personId: number; source: { type: string; id: string } }[] = [];
  const out = new Map<number, { edition: string; untilAt: number }>();
  for (const c of contacts) {
    const plan = planFor(ctx, section, c.degree, uow.now);
    const source = { type: CONTROL_SOURCE[c.degree], id: String(c.id) };
    for (const e of plan.episodes) {
      episodes.push({ personId: c.person_id, kind: e.kind, from: e.fromAt, until: e.untilAt, source });
    }
    for (const t of plan.tests) {
      // A test day's sample counts from that day's start (or from now, on day 1).
      const notBefore = Math.max(uow.now, startOfDay(t.day, ctx.config.timeZone));
      orders.push({ personId: c.person_id, reason: 'quarantine_day', dueAt: t.dueAt, notBefore, source });
    }
    if (plan.needsTransfer) transfers.push({ personId: c.person_id, source });
    out.set(c.id, { edition: plan.edition, untilAt: Math.max(...plan.episodes.map((e) => e.untilAt)) });
  }
  await openEpisodes(uow, episodes);
  await createTestOrders(uow, orders);
  await orderQuarantineTransfers(uow, transfers);
  return out;
}

/**
 * Ends a contact's plan early (dismissed after confirmation, or the contact became a case and is
 * now isolated as one): running episodes end, open test orders are cancelled and a quarantine
 * transfer not yet admitted is withdrawn, with the reason.
 */
export async function endQuarantinePlan(
  uow: UnitOfWork,
  contact: Pick<ContactRow, 'id' | 'person_id' | 'degree' | 'district_id'>,
  reason: string,
): Promise<void> {
  const source = { type: CONTROL_SOURCE[contact.degree], id: String(contact.id) };
  await endEpisodesBySource(uow, source, reason, { personId: contact.person_id });
  await cancelTestOrders(uow, { personId: contact.person_id, source }, reason);
  await withdrawQuarantineTransfer(
    uow,
    { personId: contact.person_id, districtId: contact.district_id, source },
    reason,
  );
}
