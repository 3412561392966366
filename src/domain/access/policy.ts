import type { Role } from './roles.ts';

/**
 * Who may see a person's personal fields in clear (SPEC "Identity and scope"). Everything is
 * masked by default; a reveal is a deliberate, reasoned, audited act. Pure: the caller says how
 * the user reaches the subject (the occasion) and this decides.
 */
export const PERSONAL_FIELDS = ['name', 'phone', 'address', 'national_id'] as const;
export type PersonalField = (typeof PERSONAL_FIELDS)[number];

/** The fields a reveal request may ask for: the national id has no clear form to reveal. */
export const REVEALABLE_FIELDS = ['name', 'phone', 'address'] as const;
export type RevealableField = (typeof REVEALABLE_FIELDS)[number];

/**
 * How the user reaches the subject:
 * - `in_scope`: the subject is inside the user's scope (region subtree, organisation member);
 * - `own_order`: a transfer or admission order of the user's organisation names the subject;
 * - `scan`: a sampler is scanning the subject's code right now;
 * - `self`: the subject is the user.
 */
export type RevealOccasion = 'in_scope' | 'own_order' | 'scan' | 'self';

/** A reason must say something: four characters rules out "a", "ok", "…" and the like. */
export const MIN_REASON_LENGTH = 4;

interface Grant {
  occasions: readonly RevealOccasion[];
  fields: readonly RevealableField[];
  /** False only where the occasion itself is the reason (a scan, one's own data). */
  needsReason: boolean;
}

const STAFF: Grant = { occasions: ['in_scope'], fields: ['name', 'phone', 'address'], needsReason: true };

/** SPEC's table, one line per role. Roles missing here (lab, employer) may reveal nothing. */
const GRANTS: Partial<Record<Role, readonly Grant[]>> = {
  admin: [STAFF],
  city_command: [STAFF],
  district_command: [STAFF],
  street_staff: [STAFF],
  tracer: [STAFF],
  transfer: [{ occasions: ['own_order'], fields: ['name', 'phone'], needsReason: true }],
  facility: [{ occasions: ['own_order'], fields: ['name', 'phone'], needsReason: true }],
  sampler: [{ occasions: ['scan'], fields: ['name'], needsReason: false }],
  resident: [{ occasions: ['self'], fields: ['name', 'phone', 'address'], needsReason: false }],
};

export interface RevealRequest {
  role: Role;
  occasion: RevealOccasion;
  fields: readonly PersonalField[];
  reason?: string | null;
}

export type RevealDecision =
  | { allowed: true; fields: RevealableField[]; reason: string | null }
  | { allowed: false; code: 'forbidden' | 'reason_required'; field: string; message: string };

function deny(code: 'forbidden' | 'reason_required', field: string, message: string): RevealDecision {
  return { allowed: false, code, field, message };
}

export function decideReveal(request: RevealRequest): RevealDecision {
  const { role, occasion } = request;
  const fields = [...new Set(request.fields)];
  if (fields.length === 0) return deny('forbidden', 'fields', 'name at least one field to reveal');
  if (fields.includes('national_id')) {
    return deny('forbidden', 'fields', 'the national id cannot be revealed: only its keyed hash is stored');
  }
  const grants = (GRANTS[role] ?? []).filter((g) => g.occasions.includes(occasion));
  if (grants.length === 0) {
    return deny(
      'forbidden',
      'fields',
      `role ${role} may not reveal personal data (${occasion.replace('_', ' ')})`,
    );
  }
  const wanted = fields as RevealableField[];
  const grant = grants.find((g) => wanted.every((f) => g.fields.includes(f)));
  if (!grant) {
    const allowed = new Set(grants.flatMap((g) => g.fields));
    const refused = wanted.filter((f) => !allowed.has(f));
    return deny('forbidden', 'fields', `role ${role} may not reveal ${refused.join(', ')}`);
  }
  const reason = request.reason?.trim() ?? '';
  if (grant.needsReason && reason.length < MIN_REASON_LENGTH) {
    return deny('reason_required', 'reason', `give a reason of at least ${MIN_REASON_LENGTH} characters`);
  }
  return { allowed: true, fields: wanted, reason: reason || null };
}

/** Whether a role could ever reveal anything; used to hide reveal actions from clients. */
export function canEverReveal(role: Role): boolean {
  return (GRANTS[role] ?? []).length > 0;
}
