import type { AlertAction } from '../../domain/kernel/alerts.ts';
import type { CordonEvent } from '../../domain/kernel/events.ts';
import { CONTROL_SOURCE, TRACING_EVENTS } from '../../domain/tracing/types.ts';
import { dueForOverdueAlert, markInvestigationsOverdue } from '../../store/tracing/investigations.ts';
import type { MonitoringRule } from '../kernel/monitoring-rules.ts';
import { findOpenOrders } from '../kernel/repositories/test-orders-repo.ts';

/**
 * Tracing's round-the-clock rules, evaluated by the kernel's one rule runner:
 * - an investigation still open 24 h after its case was reported (流调 must be fast);
 * - a contact in quarantine who missed a test day (one alert per contact — there are far fewer
 *   contacts than screening duties, and the contact's tracer acts on each).
 */

const INVESTIGATION_RULE = 'tracing.investigation.overdue';
const TEST_RULE = 'tracing.quarantine_test.missed';
const TRACING_SOURCES: readonly string[] = Object.values(CONTROL_SOURCE);
const SWEEP_LIMIT = 500;

export const investigationOverdueRule: MonitoringRule = {
  name: INVESTIGATION_RULE,
  level: 'warning',
  eventTypes: [TRACING_EVENTS.investigationCompleted],
  onEvent(event: CordonEvent): AlertAction[] {
    const p = event.payload as { investigationId: number };
    return [
      {
        kind: 'resolve',
        rule: INVESTIGATION_RULE,
        subject: { type: 'investigation', id: String(p.investigationId) },
        resolution: 'investigation completed',
      },
    ];
  },
  async onTick(now, _ctx, uow): Promise<AlertAction[]> {
    const late = await dueForOverdueAlert(uow.trx, now, SWEEP_LIMIT);
    // Marked in the runner's transaction: the alerts and the marks commit together.
    await markInvestigationsOverdue(
      uow.trx,
      late.map((i) => i.id),
      now,
    );
    return late.map((i) => ({
      kind: 'open' as const,
      rule: INVESTIGATION_RULE,
      level: 'warning' as const,
      subject: { type: 'investigation', id: String(i.id) },
      regionIds: [i.street_id],
      details: {
        caseId: i.case_id,
        deadlineAt: i.deadline_at,
        hoursLate: Math.floor((now - i.deadline_at) / 3_600_000),
        tracerUserId: i.tracer_user_id,
      },
    }));
  },
};

interface OrderPayload {
  orderId: number;
  streetId: number;
  dueAt: number;
  reason: string;
  source: { type: string; id: string };
  wasOverdue?: boolean;
}

export const quarantineTestMissedRule: MonitoringRule = {
  name: TEST_RULE,
  level: 'warning',
  eventTypes: ['test_order.overdue', 'test_order.fulfilled', 'test_order.cancelled'],
  async onEvent(event: CordonEvent, _ctx, uow): Promise<AlertAction[]> {
    const p = event.payload as unknown as OrderPayload;
    if (p.reason !== 'quarantine_day' || !TRACING_SOURCES.includes(p.source?.type)) return [];
    if (event.type !== 'test_order.overdue' && p.wasOverdue !== true) return [];
    const subject = { type: 'tracing_contact', id: p.source.id };
    const missed = (
      await findOpenOrders(uow.trx, { source: p.source, personId: event.personId ?? undefined })
    ).filter((o) => o.overdueAt != null);
    if (missed.length === 0) {
      return [
        {
          kind: 'resolve',
          rule: TEST_RULE,
          subject,
          resolution: 'no missed quarantine test left for this contact',
        },
      ];
    }
    return [
      {
        kind: 'open',
        rule: TEST_RULE,
        level: 'warning',
        subject,
        regionIds: [p.streetId],
        details: {
          contactId: Number(p.source.id),
          personId: event.personId,
          missedTests: missed.length,
          missedDueAt: missed.map((o) => o.dueAt),
        },
      },
    ];
  },
};
