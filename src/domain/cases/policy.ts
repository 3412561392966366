import type { Principal } from '../access/principal.ts';
import type { Role } from '../access/roles.ts';
import { DomainError } from '../errors.ts';

/**
 * Who may do what with cases, transfers and facilities. Where they may do it is the scope's
 * business (app/cases/scope.ts): region users act in their subtree, transfer teams on their own
 * orders, facility staff on their own facility.
 */
export const CASE_ACTIONS = {
  /** Read cases, orders, 社会面 and 日清日结 figures. */
  'cases.read': ['admin', 'city_command', 'district_command', 'street_staff', 'tracer'],
  /** Report a case from a clinic, correct its severity, record a death. */
  'cases.report': ['admin', 'city_command', 'district_command', 'street_staff', 'tracer'],
  'cases.update': ['admin', 'city_command', 'district_command', 'tracer', 'facility'],
  /** Confirm or override the allocator's proposal; cancel an order. */
  'transfers.allocate': ['admin', 'city_command', 'district_command', 'street_staff'],
  /** Send a vehicle. */
  'transfers.dispatch': ['admin', 'city_command', 'district_command', 'street_staff'],
  /** Pick-up and arrival, by the crew. */
  'transfers.move': ['admin', 'city_command', 'district_command', 'transfer'],
  'transfers.read': [
    'admin',
    'city_command',
    'district_command',
    'street_staff',
    'tracer',
    'transfer',
    'facility',
  ],
  /** Admit, record stay tests, discharge — the receiving facility. */
  'facilities.admit': ['admin', 'city_command', 'district_command', 'facility'],
  'facilities.read': [
    'admin',
    'city_command',
    'district_command',
    'street_staff',
    'tracer',
    'transfer',
    'facility',
  ],
  /** Open a facility, change its beds. */
  'facilities.manage': ['admin', 'city_command', 'district_command'],
} as const satisfies Record<string, readonly Role[]>;

export type CaseAction = keyof typeof CASE_ACTIONS;

export function mayDo(role: Role, action: CaseAction): boolean {
  return (CASE_ACTIONS[action] as readonly Role[]).includes(role);
}

export function requireAction(principal: Principal, action: CaseAction): void {
  if (!mayDo(principal.role, action)) {
    throw new DomainError('forbidden', `role ${principal.role} may not ${action.replace('.', ': ')}`);
  }
}
