import type { StatusReasonCode, StatusSection } from '../rules/schema.ts';
import { DomainError, invalid } from '../errors.ts';
import type { Role } from '../access/roles.ts';
import { EXEMPTION_KINDS, type ExemptionKind } from './inputs.ts';

/**
 * The correction path (../SPEC "a correction path"): an authorised user waives one status reason
 * for a person for a while — in hospital, away, tested elsewhere, or a wrong record — with a
 * reason that is audited. Only yellow reasons can be waived: red ones come from control episodes
 * (a case, quarantine, a sealed home) whose own services end them.
 */
export const EXEMPTION_ROLES: readonly Role[] = ['admin', 'city_command', 'district_command', 'street_staff'];

/** Longest exemption: a correction is reviewed again after a month at most. */
export const MAX_EXEMPTION_DAYS = 31;

export interface ExemptionRequest {
  reasonCode: string;
  kind: string;
  note: string;
  from: number;
  until: number;
}

export function checkExemption(
  role: Role,
  status: StatusSection,
  request: ExemptionRequest,
): { reasonCode: StatusReasonCode; kind: ExemptionKind } {
  if (!EXEMPTION_ROLES.includes(role)) {
    throw new DomainError('forbidden', `role ${role} may not record exemptions`, [
      { field: 'role', message: 'command or street staff only' },
    ]);
  }
  const spec = status.reasons.find((r) => r.code === request.reasonCode);
  if (!spec) {
    throw invalid(
      'reasonCode',
      `not a status reason of this rule set: ${status.reasons.map((r) => r.code).join(', ')}`,
      request.reasonCode,
    );
  }
  if (spec.colour !== 'yellow') {
    throw invalid('reasonCode', `${spec.code} is red: end its control episode instead`, request.reasonCode);
  }
  if (!(EXEMPTION_KINDS as readonly string[]).includes(request.kind)) {
    throw invalid('kind', `one of ${EXEMPTION_KINDS.join(', ')}`, request.kind);
  }
  if (request.note.trim().length < 4) throw invalid('note', 'say why (at least 4 characters)', request.note);
  if (!(request.until > request.from)) throw invalid('until', 'must be after from', request.until);
  if (request.until - request.from > MAX_EXEMPTION_DAYS * 86_400_000) {
    throw invalid('until', `at most ${MAX_EXEMPTION_DAYS} days after from`, request.until);
  }
  return { reasonCode: spec.code, kind: request.kind as ExemptionKind };
}
