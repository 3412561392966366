import type { Role } from '../access/roles.ts';
import { DomainError, invalid } from '../errors.ts';

/**
 * Who may move zones by hand (../SPEC "Zones": "applied by an authorised user"): the command
 * levels that own the decision (区/市指挥部). Street staff see zones and carry them out; they do
 * not decide them. Everyone region-scoped may read.
 */
export const ZONE_DECIDER_ROLES: readonly Role[] = ['admin', 'city_command', 'district_command'];
export const ZONE_READER_ROLES: readonly Role[] = [
  'admin',
  'city_command',
  'district_command',
  'street_staff',
  'tracer',
];

/** A decision says why, like a reveal: four characters rule out "ok". */
export const MIN_DECISION_REASON = 4;

export function assertMayDecideZones(role: Role): void {
  if (!ZONE_DECIDER_ROLES.includes(role)) {
    throw new DomainError('forbidden', `role ${role} may not approve or change zones`, [
      { field: 'role', message: 'needs district or city command' },
    ]);
  }
}

export function assertMayReadZones(role: Role): void {
  if (!ZONE_READER_ROLES.includes(role)) {
    throw new DomainError('forbidden', `role ${role} may not read zones`, [
      { field: 'role', message: 'region-scoped staff only' },
    ]);
  }
}

export function assertDecisionReason(reason: string | undefined | null, field = 'reason'): string {
  const text = (reason ?? '').trim();
  if (text.length < MIN_DECISION_REASON) {
    throw invalid(field, `say why (at least ${MIN_DECISION_REASON} characters)`, reason);
  }
  return text;
}
