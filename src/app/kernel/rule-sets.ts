import { DomainError, invalid, notFound } from '../../domain/errors.ts';
import {
  copyRuleBundle,
  isShippedRuleSet,
  parseRuleBundle,
  SHIPPED_RULE_SETS,
  shippedRuleSet,
  type RuleEdits,
} from '../../domain/rules/catalogue.ts';
import { RULE_SET_NAME, type RuleBundle } from '../../domain/rules/schema.ts';
import { inTransaction, type AppContext } from '../context.ts';
import type { Db } from './repositories/db.ts';

/**
 * Rule sets: the shipped bundles (in code, read-only) plus operators' copies (table rule_sets),
 * and the deployment's active choice (setting `active_rule_set`, default CORDON_RULE_SET). The
 * active bundle is cached per context and dropped whenever a set is activated or copied — here at
 * once, in other processes when they see the `rules.*` event (see rule-runner.ts).
 */
export const ACTIVE_RULE_SET_KEY = 'active_rule_set';

export interface RuleSetSummary {
  name: string;
  version: number;
  basedOn: string | null;
  title: RuleBundle['title'];
  shipped: boolean;
  active: boolean;
}

/** Who changed the rules: a user, or an operator at the command line. */
export interface RuleSetActor {
  userId: number | null;
  username: string;
}

const cache = new WeakMap<AppContext, RuleBundle>();

export function invalidateRuleSetCache(ctx: AppContext): void {
  cache.delete(ctx);
}

async function storedRuleSet(db: Db, name: string): Promise<RuleBundle | null> {
  const row = await db.selectFrom('rule_sets').select('bundle').where('name', '=', name).executeTakeFirst();
  return row ? parseRuleBundle(JSON.parse(row.bundle), `rule_sets.${name}`) : null;
}

/** A set by name: shipped, or an operator's copy. */
export async function getRuleSet(db: Db, name: string): Promise<RuleBundle> {
  const bundle = shippedRuleSet(name) ?? (await storedRuleSet(db, name));
  if (!bundle) throw notFound(`rule set ${name}`);
  return bundle;
}

export async function activeRuleSetName(ctx: AppContext, db: Db = ctx.store.db): Promise<string> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', ACTIVE_RULE_SET_KEY)
    .executeTakeFirst();
  return row?.value ?? ctx.config.ruleSet;
}

/**
 * The active bundle. Pass the transaction when calling from inside one (SQLite has a single
 * connection); reads through a transaction do not fill the cache.
 */
export async function getActiveRuleSet(ctx: AppContext, db?: Db): Promise<RuleBundle> {
  const cached = cache.get(ctx);
  if (cached) return cached;
  const bundle = await getRuleSet(db ?? ctx.store.db, await activeRuleSetName(ctx, db ?? ctx.store.db));
  if (!db) cache.set(ctx, bundle);
  return bundle;
}

/** Drops the cache if the stored choice or version moved (a change made by another process). */
export async function revalidateRuleSetCache(ctx: AppContext): Promise<void> {
  const cached = cache.get(ctx);
  if (!cached) return;
  const name = await activeRuleSetName(ctx);
  if (name !== cached.name) return invalidateRuleSetCache(ctx);
  if (isShippedRuleSet(name)) return;
  const row = await ctx.store.db
    .selectFrom('rule_sets')
    .select('version')
    .where('name', '=', name)
    .executeTakeFirst();
  if (row?.version !== cached.version) invalidateRuleSetCache(ctx);
}

export async function listRuleSets(ctx: AppContext): Promise<RuleSetSummary[]> {
  const active = await activeRuleSetName(ctx);
  const rows = await ctx.store.db
    .selectFrom('rule_sets')
    .select(['name', 'bundle'])
    .orderBy('name')
    .execute();
  const copies = rows.map((r) => parseRuleBundle(JSON.parse(r.bundle), `rule_sets.${r.name}`));
  return [...SHIPPED_RULE_SETS, ...copies].map((b) => ({
    name: b.name,
    version: b.version,
    basedOn: b.basedOn,
    title: b.title,
    shipped: isShippedRuleSet(b.name),
    active: b.name === active,
  }));
}

function cityRegions(ctx: AppContext): number[] {
  const city = ctx.regions.city();
  return city ? [city.id] : [];
}

/** Makes a set the deployment's active one; every section switches together. */
export async function activateRuleSet(
  ctx: AppContext,
  name: string,
  actor: RuleSetActor,
): Promise<RuleBundle> {
  const bundle = await inTransaction(ctx, async (uow) => {
    const chosen = await getRuleSet(uow.trx, name);
    const previous = await activeRuleSetName(ctx, uow.trx);
    await uow.trx
      .insertInto('settings')
      .values({ key: ACTIVE_RULE_SET_KEY, value: name })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: name }))
      .execute();
    uow.publish({
      type: 'rules.activated',
      occurredAt: uow.now,
      regionIds: cityRegions(ctx),
      payload: { name, version: chosen.version, previous, by: actor },
    });
    return chosen;
  });
  // After commit: invalidating inside the transaction could let a reader re-cache the old set.
  invalidateRuleSetCache(ctx);
  return bundle;
}

/**
 * Copies a set under a new name with edits (objects merge, arrays and scalars replace) and
 * validates the result. Shipped names cannot be overwritten. Copying onto an existing copy
 * replaces it with the next version; a new name starts at version 1. If the target is the
 * active set, the change takes effect at once.
 */
export async function copyRuleSet(
  ctx: AppContext,
  from: string,
  to: string,
  edits: RuleEdits,
  actor: RuleSetActor,
): Promise<RuleBundle> {
  if (!RULE_SET_NAME.test(to)) {
    throw invalid('to', 'lower-case letters, digits, dot, dash or underscore; 2–63 characters', to);
  }
  if (isShippedRuleSet(to)) {
    throw new DomainError('conflict', `${to} is a shipped rule set; copy it under another name`);
  }
  const bundle = await inTransaction(ctx, async (uow) => {
    const source = await getRuleSet(uow.trx, from);
    const existing = await uow.trx
      .selectFrom('rule_sets')
      .select('version')
      .where('name', '=', to)
      .executeTakeFirst();
    const copy = copyRuleBundle(source, to, (existing?.version ?? 0) + 1, edits);
    const row = {
      version: copy.version,
      based_on: copy.basedOn,
      bundle: JSON.stringify(copy),
      created_at: uow.now,
    };
    await uow.trx
      .insertInto('rule_sets')
      .values({ name: to, ...row })
      .onConflict((oc) => oc.column('name').doUpdateSet(row))
      .execute();
    uow.publish({
      type: 'rules.copied',
      occurredAt: uow.now,
      regionIds: cityRegions(ctx),
      payload: { name: to, version: copy.version, basedOn: copy.basedOn, edits, by: actor },
    });
    return copy;
  });
  invalidateRuleSetCache(ctx);
  return bundle;
}
