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

export type RegionLevel = 'city' | 'district' | 'street' | 'committee';

/**
 * The region levels a region-scoped role may hold (SPEC "Identity and scope"): command staff sit
 * at the city or a district, street staff at a street or one of its committees, tracers anywhere.
 */
export const ROLE_REGION_LEVELS: Partial<Record<Role, readonly RegionLevel[]>> = {
  admin: ['city'],
  city_command: ['city'],
  district_command: ['district'],
  street_staff: ['street', 'committee'],
  tracer: ['city', 'district', 'street'],
};

export type OrganisationKind = 'workplace' | 'lab' | 'facility' | 'transport' | 'sampling' | 'care_home';

/** The organisation kinds an organisation-scoped role may belong to. */
export const ROLE_ORGANISATION_KINDS: Partial<Record<Role, readonly OrganisationKind[]>> = {
  transfer: ['transport'],
  facility: ['facility'],
  sampler: ['sampling'],
  lab: ['lab'],
  employer: ['workplace', 'care_home'],
};
