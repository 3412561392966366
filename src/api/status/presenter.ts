import type { PersonStatus } from '../../domain/status/compute.ts';
import type { OnDutyAnswer } from '../../domain/status/on-duty.ts';
import type { StatusExemptionTable } from '../../store/status/tables.ts';
import type { Selectable } from 'kysely';
import type { ExemptionView, OnDutyView, StatusView } from './schema.ts';
import type { z } from 'zod';

/** The only place that shapes status JSON for clients. */
export function presentStatus(status: PersonStatus, computedAt: number): z.infer<typeof StatusView> {
  return {
    colour: status.colour,
    reasons: status.reasons.map((r) => ({
      code: r.code,
      colour: r.colour,
      label: r.label,
      since: r.since,
      until: r.until,
    })),
    waived: status.waived.map((r) => ({
      code: r.code,
      colour: r.colour,
      label: r.label,
      since: r.since,
      until: r.until,
      exemption: r.exemption,
    })),
    computedAt,
  };
}

const bodies = new WeakMap<PersonStatus, string>();

/**
 * `presentStatus(status, computedAt)` as JSON text, for the hot `GET /me/status`. A status object
 * is reused while it holds (app/status/status.ts), so its JSON — all of it but `computedAt` — is
 * written once and kept beside it; each answer only appends the instant. Same bytes as
 * `JSON.stringify(presentStatus(status, computedAt))` (test/status/my-status-api.test.ts).
 */
export function statusJson(status: PersonStatus, computedAt: number): string {
  let body = bodies.get(status);
  if (body === undefined) {
    const { computedAt: _omitted, ...rest } = presentStatus(status, 0);
    body = JSON.stringify(rest).slice(0, -1);
    bodies.set(status, body);
  }
  return `${body},"computedAt":${computedAt}}`;
}

export function presentOnDuty(answer: OnDutyAnswer): z.infer<typeof OnDutyView> {
  return {
    allowed: answer.allowed,
    reasons: answer.reasons.map((r) => ({
      code: r.code as z.infer<typeof OnDutyView>['reasons'][number]['code'],
      label: r.label,
    })),
  };
}

export function presentExemption(r: Selectable<StatusExemptionTable>): z.infer<typeof ExemptionView> {
  return {
    id: r.id,
    personId: r.person_id,
    reasonCode: r.reason_code,
    kind: r.kind,
    note: r.note,
    from: r.from_at,
    until: r.until_at,
  };
}
