import { DomainError, type ErrorDetail } from '../errors.ts';
import { ruleBundleSchema, type ContactsSection, type RuleBundle } from './schema.ts';
import { CONTACT_PROTOCOLS } from './sets/common.ts';
import { NATIONAL_9TH } from './sets/national-9th.ts';
import { SHANGHAI_2022_04_11 } from './sets/shanghai-2022-04-11.ts';
import { SHANGHAI_2022_05_16 } from './sets/shanghai-2022-05-16.ts';

/**
 * The shipped rule sets and the pure operations on bundles: validate, copy with edits, switch the
 * contact protocol edition. Storage and the active choice live in app/kernel/rule-sets.ts.
 */

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Frozen: a caller that wants to change a set copies it (structuredClone) first. */
export const SHIPPED_RULE_SETS: readonly RuleBundle[] = [
  SHANGHAI_2022_04_11,
  SHANGHAI_2022_05_16,
  NATIONAL_9TH,
].map((b) => deepFreeze(structuredClone(b)));

export function shippedRuleSet(name: string): RuleBundle | undefined {
  return SHIPPED_RULE_SETS.find((s) => s.name === name);
}

export function isShippedRuleSet(name: string): boolean {
  return shippedRuleSet(name) !== undefined;
}

/**
 * Validates a bundle; a broken one is a validation error whose details name every bad field by
 * its path (`pooling.byZone.controlled.size`), prefixed by `where` (a file name, `body`…).
 */
export function parseRuleBundle(input: unknown, where?: string): RuleBundle {
  const result = ruleBundleSchema.safeParse(input);
  if (result.success) return result.data;
  const details: ErrorDetail[] = result.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    const field = [where, path].filter(Boolean).join('.') || 'bundle';
    return { field, message: issue.message };
  });
  const summary = details
    .slice(0, 5)
    .map((d) => `${d.field}: ${d.message}`)
    .join('; ');
  throw new DomainError('validation_failed', `rule set is not valid: ${summary}`, details);
}

/** Edits to a bundle: any part of it; objects merge key by key, arrays and scalars replace. */
export type RuleEdits = { [key: string]: unknown };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function mergeEdits(base: unknown, edits: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(edits)) return structuredClone(edits);
  const out: Record<string, unknown> = structuredClone(base);
  for (const [key, value] of Object.entries(edits)) {
    out[key] = key in out ? mergeEdits(out[key], value) : structuredClone(value);
  }
  return out;
}

/**
 * A new bundle from `source` with `edits` applied, named `name` at `version`, recording what it
 * was based on. Validated: the result is a complete, consistent rule set or an error.
 */
export function copyRuleBundle(
  source: RuleBundle,
  name: string,
  version: number,
  edits: RuleEdits = {},
): RuleBundle {
  if (!isPlainObject(edits)) {
    throw new DomainError('validation_failed', 'edits: must be a JSON object', [
      { field: 'edits', message: 'must be a JSON object' },
    ]);
  }
  for (const fixed of ['name', 'version', 'basedOn'] as const) {
    if (fixed in edits) {
      throw new DomainError('validation_failed', `edits.${fixed}: set by the copy, not editable`, [
        { field: `edits.${fixed}`, message: 'set by the copy, not editable' },
      ]);
    }
  }
  const merged = mergeEdits(source, edits) as Record<string, unknown>;
  return parseRuleBundle({ ...merged, name, version, basedOn: `${source.name}@${source.version}` }, 'edits');
}

/** Edits that switch a bundle to another contact protocol edition (its numbers, whole). */
export function contactsEditionEdits(edition: ContactsSection['edition']): RuleEdits {
  return { contacts: structuredClone(CONTACT_PROTOCOLS[edition]) };
}
