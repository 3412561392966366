/** The roles of ../SPEC "Identity and scope". */
export const ROLES = [
  'admin',
  'city_command',
  'district_command',
  'street_staff',
  'tracer',
  'transfer',
  'facility',
  'sampler',
  'lab',
  'employer',
  'resident',
] as const;

export type Role = (typeof ROLES)[number];

export type ScopeKind = 'region' | 'organisation' | 'self';

/** Which kind of scope each role holds. */
export const ROLE_SCOPE_KIND: Record<Role, ScopeKind> = {
  admin: 'region',
  city_command: 'region',
  district_command: 'region',
  street_staff: 'region',
  tracer: 'region',
  transfer: 'organisation',
  facility: 'organisation',
  sampler: 'organisation',
  lab: 'organisation',
  employer: 'organisation',
  resident: 'self',
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
