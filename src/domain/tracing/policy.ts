import type { Role } from '../access/roles.ts';

/**
 * Who may do what in tracing. Tracers are region-scoped (../SPEC "Identity and scope"); every
 * read is further filtered to the caller's region subtree in the data layer. Organisation and
 * self scopes never see tracing records: a contact list is health data about other people.
 */
export type TracingAction =
  | 'read'
  /** Interview work: timelines, contacts, confirm / dismiss proposals, complete an investigation. */
  | 'investigate'
  /** Assign a tracer, link sources between cases. */
  | 'direct'
  /** Bulk venue check-ins and co-presence matching runs. */
  | 'ingest';

const GRANTS: Record<TracingAction, readonly Role[]> = {
  read: ['admin', 'city_command', 'district_command', 'street_staff', 'tracer'],
  investigate: ['admin', 'district_command', 'tracer'],
  direct: ['admin', 'city_command', 'district_command', 'tracer'],
  ingest: ['admin', 'district_command', 'tracer'],
};

export function mayTrace(role: Role, action: TracingAction): boolean {
  return GRANTS[action].includes(role);
}
