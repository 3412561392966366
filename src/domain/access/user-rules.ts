import { invalid } from '../errors.ts';
import {
  isRole,
  ROLE_ORGANISATION_KINDS,
  ROLE_REGION_LEVELS,
  ROLE_SCOPE_KIND,
  type OrganisationKind,
  type RegionLevel,
  type Role,
} from './roles.ts';

/** What a new user asks for, before anything is looked up. */
export interface NewUserInput {
  username: string;
  password: string;
  role: string;
  regionId?: number | null;
  organisationId?: number | null;
  personId?: number | null;
}

export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.@-]{2,63}$/;
export const MIN_PASSWORD_LENGTH = 8;

/** Which scope field a role needs; the other two must be absent. */
const SCOPE_FIELD = { region: 'regionId', organisation: 'organisationId', self: 'personId' } as const;

/** Shape checks that need no database: username, password, role and which scope field is given. */
export function checkNewUser(input: NewUserInput): Role {
  if (!USERNAME_PATTERN.test(input.username)) {
    throw invalid(
      'username',
      '3–64 letters, digits or _ . @ -, starting with a letter or digit',
      input.username,
    );
  }
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    throw invalid('password', `at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  if (!isRole(input.role)) throw invalid('role', 'not a known role', input.role);
  const role = input.role;
  const needed = SCOPE_FIELD[ROLE_SCOPE_KIND[role]];
  // The missing field first: "give an organisation" helps more than "not a region".
  if (input[needed] == null) throw invalid(needed, `role ${role} needs a ${ROLE_SCOPE_KIND[role]} scope`);
  for (const field of Object.values(SCOPE_FIELD)) {
    if (field !== needed && input[field] != null) {
      throw invalid(field, `role ${role} has a ${ROLE_SCOPE_KIND[role]} scope, not this one`);
    }
  }
  return role;
}

/** The scope's level or kind must suit the role (a district commander sits at a district). */
export function checkRegionLevel(role: Role, level: RegionLevel): void {
  const allowed = ROLE_REGION_LEVELS[role];
  if (allowed && !allowed.includes(level)) {
    throw invalid('regionId', `role ${role} is scoped to a ${allowed.join(' or ')}, not a ${level}`, level);
  }
}

export function checkOrganisationKind(role: Role, kind: OrganisationKind): void {
  const allowed = ROLE_ORGANISATION_KINDS[role];
  if (allowed && !allowed.includes(kind)) {
    throw invalid('organisationId', `role ${role} belongs to a ${allowed.join(' or ')}, not a ${kind}`, kind);
  }
}
