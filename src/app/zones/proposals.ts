import { applyProposal } from '../../domain/zones/proposals.ts';
import type { ZoneProposal } from '../../domain/zones/types.ts';
import { pendingProposalsOf, decideProposal, type ZoneProposalRow } from '../../store/zones/changes.ts';
import type { StoredDesignation } from '../../store/zones/designations.ts';
import { inTransaction, type AppContext } from '../context.ts';
import { saveDesignation } from './designations.ts';
import { evaluateAll, type EvaluatedPlace, type EvaluationInput } from './evaluate.ts';
import { residentCount } from './residents.ts';
import { ZONE_EVENTS, zoneRuntime, type ZoneRuntime } from './runtime.ts';

/**
 * The daily step-down proposals (and on demand): every active designation is evaluated; a
 * transition the rules allow becomes a pending proposal for an authorised user, or is applied
 * at once where the deployment auto-approves (setting `zones.auto_approve`, else the rule set's
 * `autoApply`). A pending proposal that still says the same is kept, not duplicated.
 */
export const AUTO_APPROVE_SETTING = 'zones.auto_approve';

export interface ProposalRunReport {
  day: string;
  evaluated: number;
  proposed: number;
  kept: number;
  applied: number;
  blocked: number;
}

/** The deployment's setting if there is one, else the active rule set's `autoApply`. */
export async function autoApproveSetting(rt: Pick<ZoneRuntime, 'zones' | 'uow'>): Promise<boolean> {
  const row = await rt.uow.trx
    .selectFrom('settings')
    .select('value')
    .where('key', '=', AUTO_APPROVE_SETTING)
    .executeTakeFirst();
  return row ? row.value === 'true' : rt.zones.autoApply;
}

export async function proposeStepDowns(ctx: AppContext, pageSize = 2000): Promise<ProposalRunReport> {
  const probe = await inTransaction(ctx, async (uow) => {
    const rt = await zoneRuntime(ctx, uow);
    return { zones: rt.zones, today: rt.today, autoApply: await autoApproveSetting(rt) };
  });
  const report: ProposalRunReport = {
    day: probe.today,
    evaluated: 0,
    proposed: 0,
    kept: 0,
    applied: 0,
    blocked: 0,
  };
  const input: EvaluationInput = {
    db: ctx.store.db,
    zones: probe.zones,
    today: probe.today,
    timeZone: ctx.config.timeZone,
    residentCount: (placeId) => inTransaction(ctx, (uow) => residentCount({ uow }, placeId)),
  };
  const pages: EvaluatedPlace[][] = [];
  // Read every page first: on SQLite a read outside the write transaction must not interleave with it.
  for await (const page of evaluateAll(input, pageSize)) pages.push(page);
  for (const page of pages) {
    report.evaluated += page.length;
    const due = page.filter((p) => p.evaluation.proposal);
    report.blocked += page.length - due.length;
    if (due.length === 0) continue;
    await inTransaction(ctx, async (uow) => {
      const rt = await zoneRuntime(ctx, uow);
      const pending = await pendingProposalsOf(
        uow.trx,
        due.map((p) => p.designation.id),
      );
      const toApply: { designation: StoredDesignation; row: ZoneProposalRow; proposal: ZoneProposal }[] = [];
      const fresh: { designation: StoredDesignation; proposal: ZoneProposal }[] = [];
      for (const { designation, evaluation } of due) {
        const proposal = evaluation.proposal!;
        const existing = pending.get(designation.id);
        if (existing && sameProposal(existing, proposal)) {
          report.kept++;
          toApply.push({ designation, row: existing, proposal });
        } else {
          fresh.push({ designation, proposal });
        }
      }
      const stored = await storeProposals(rt, fresh);
      report.proposed += stored.length;
      const freshByDesignation = new Map(fresh.map((f) => [f.designation.id, f]));
      for (const row of stored) toApply.push({ ...freshByDesignation.get(row.designation_id)!, row });
      if (!probe.autoApply) return;
      for (const { designation, row, proposal } of toApply) {
        await applyStoredProposal(
          rt,
          designation,
          row,
          proposal,
          'approved automatically (auto-approve is on)',
        );
        report.applied++;
      }
    });
  }
  return report;
}

function sameProposal(row: ZoneProposalRow, p: ZoneProposal): boolean {
  return (
    row.to_level === (p.to?.level ?? null) &&
    row.to_phase === (p.to?.phase ?? null) &&
    row.from_phase === p.from.phase &&
    row.due_day === p.dueDay
  );
}

/** Stores new pending proposals (superseding stale ones) in a few statements, and announces each. */
export async function storeProposals(
  rt: ZoneRuntime,
  items: readonly { designation: StoredDesignation; proposal: ZoneProposal }[],
): Promise<ZoneProposalRow[]> {
  const { uow } = rt;
  const out: ZoneProposalRow[] = [];
  for (let i = 0; i < items.length; i += 300) {
    const chunk = items.slice(i, i + 300);
    await uow.trx
      .updateTable('zone_proposals')
      .set({ status: 'superseded', decided_at: uow.now, decision_reason: 'superseded by a newer proposal' })
      .where(
        'designation_id',
        'in',
        chunk.map((x) => x.designation.id),
      )
      .where('status', '=', 'pending')
      .execute();
    const rows = await uow.trx
      .insertInto('zone_proposals')
      .values(
        chunk.map(({ designation: d, proposal: p }) => ({
          district_id: d.districtId,
          designation_id: d.id,
          place_id: d.placeId,
          from_level: p.from.level,
          from_phase: p.from.phase,
          to_level: p.to?.level ?? null,
          to_phase: p.to?.phase ?? null,
          restart_period: p.restartPeriod ? 1 : 0,
          due_day: p.dueDay,
          reason: p.reason.text,
          details: JSON.stringify(p.reason),
          status: 'pending' as const,
          proposed_at: uow.now,
          decided_at: null,
          decided_by: null,
          decided_by_name: null,
          decision_reason: null,
          rule_set: rt.ruleSet,
        })),
      )
      .returningAll()
      .execute();
    const byDesignation = new Map(chunk.map((x) => [x.designation.id, x]));
    for (const row of rows) {
      const { designation: d, proposal: p } = byDesignation.get(row.designation_id)!;
      uow.publish({
        type: ZONE_EVENTS.proposed,
        occurredAt: uow.now,
        regionIds: [d.committeeId ?? d.streetId],
        payload: {
          proposalId: row.id,
          designationId: d.id,
          placeId: d.placeId,
          districtId: d.districtId,
          streetId: d.streetId,
          from: p.from,
          to: p.to,
          dueDay: p.dueDay,
          reason: p.reason.text,
        },
      });
      out.push(row);
    }
  }
  return out;
}

/**
 * Marks a proposal approved and moves the designation. The caller has re-checked that the rules
 * still allow it (the place may have had a new positive since it was proposed).
 */
export async function applyStoredProposal(
  rt: ZoneRuntime,
  d: StoredDesignation,
  row: ZoneProposalRow,
  proposal: ZoneProposal,
  decisionReason: string,
): Promise<StoredDesignation> {
  const { uow } = rt;
  await decideProposal(uow.trx, row, {
    status: 'approved',
    at: uow.now,
    userId: rt.actor.userId,
    username: rt.actor.username,
    reason: decisionReason,
  });
  const after = applyProposal(rt.zones, d, proposal, rt.today, uow.now);
  const saved = await saveDesignation(rt, d, after, {
    change: proposal.reason.code,
    reason: { code: proposal.reason.code, text: `${proposal.reason.text} — approved: ${decisionReason}` },
    conditions: 'conditions' in proposal.reason ? proposal.reason.conditions : [],
    proposalId: row.id,
  });
  publishDecision(rt, d, row, 'approved', decisionReason);
  return saved;
}

export function publishDecision(
  rt: ZoneRuntime,
  d: StoredDesignation,
  row: ZoneProposalRow,
  status: string,
  reason: string,
): void {
  rt.uow.publish({
    type: ZONE_EVENTS.decided,
    occurredAt: rt.uow.now,
    regionIds: [d.committeeId ?? d.streetId],
    payload: {
      proposalId: row.id,
      designationId: d.id,
      placeId: d.placeId,
      districtId: d.districtId,
      streetId: d.streetId,
      status,
      reason,
      by: rt.actor,
    },
  });
}
