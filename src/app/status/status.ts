import type { Principal } from '../../domain/access/principal.ts';
import { DomainError } from '../../domain/errors.ts';
import { computeStatus, type PersonStatus, type StatusRules } from '../../domain/status/compute.ts';
import type { StatusInputs } from '../../domain/status/inputs.ts';
import { decideOnDuty, type OnDutyAnswer } from '../../domain/status/on-duty.ts';
import type { RuleBundle } from '../../domain/rules/schema.ts';
import { statusReader, type StatusPerson } from '../../store/status/reader.ts';
import { StatusInputsCache } from './inputs-cache.ts';
import { actorOf, audit } from '../access/audit.ts';
import { decodePersonCode } from '../access/person-code.ts';
import { getScopedPerson } from '../access/scoped-people.ts';
import type { AppContext } from '../context.ts';
import { getActiveRuleSet } from '../kernel/rule-sets.ts';
import type { Db } from '../kernel/repositories/db.ts';

/**
 * Status look-ups: always computed at read time from the kernel's records and the clock (no
 * stored colour, no nightly batch), so a result, an episode or a deadline that passed a moment
 * ago already shows. The read is one key look-up plus one statement (store/status/reader.ts).
 */
const DAY_MS = 86_400_000;

const rulesOf = new WeakMap<AppContext, { bundle: RuleBundle; rules: StatusRules }>();

/**
 * Pass the transaction when inside one (on SQLite a read on ctx.store.db would wait for it). The
 * same object while the active bundle stays the same, so a computed status can be reused by
 * identity (see `computed` below).
 */
export async function statusRules(ctx: AppContext, db?: Db): Promise<StatusRules> {
  const bundle = await getActiveRuleSet(ctx, db);
  const known = rulesOf.get(ctx);
  if (known?.bundle === bundle) return known.rules;
  const rules = { status: bundle.status, compliance: bundle.compliance, timeZone: ctx.config.timeZone };
  rulesOf.set(ctx, { bundle, rules });
  return rules;
}

/**
 * The status last computed from one inputs object. The inputs cache hands out the same object
 * until the person's records change, and `computeStatus` says until when its answer holds by the
 * clock alone (`changesAt`), so within [from, changesAt) under the same rules the answer is the
 * one computing it again would give: reused, not recomputed. Still exact at every instant —
 * a deadline reached a millisecond ago falls outside the interval. Shared: never mutated.
 */
const computed = new WeakMap<StatusInputs, { rules: StatusRules; from: number; status: PersonStatus }>();

function statusAt(inputs: StatusInputs, rules: StatusRules, now: number): PersonStatus {
  const known = computed.get(inputs);
  if (
    known &&
    known.rules === rules &&
    known.from <= now &&
    (known.status.changesAt == null || now < known.status.changesAt)
  ) {
    return known.status;
  }
  const status = computeStatus(inputs, rules, now);
  computed.set(inputs, { rules, from: now, status });
  return status;
}

const caches = new WeakMap<AppContext, StatusInputsCache>();

/** The context's inputs cache (one per context: it follows that context's database). */
export function statusInputsCache(ctx: AppContext): StatusInputsCache {
  let cache = caches.get(ctx);
  if (!cache) {
    cache = new StatusInputsCache(statusReader(ctx.store));
    caches.set(ctx, cache);
  }
  return cache;
}

/**
 * The status of a person the caller has already been allowed to see, now — through the inputs
 * cache — or at another instant (history), straight from the database.
 */
export async function computePersonStatus(
  ctx: AppContext,
  personId: number,
  at?: number,
  db?: Db,
): Promise<PersonStatus> {
  const rules = await statusRules(ctx, db);
  const now = at ?? ctx.clock.now();
  const since = arrivalsSince(rules, now);
  if (at !== undefined) {
    return computeStatus(await statusReader(ctx.store).inputs(personId, now, since), rules, now);
  }
  return statusAt(await statusInputsCache(ctx).inputs(personId, now, since), rules, now);
}

/** Arrivals older than the window (plus a day for the calendar-day rounding) cannot matter at `at`. */
function arrivalsSince(rules: StatusRules, at: number): number {
  return at - (rules.status.arrivalWindowDays + 1) * DAY_MS;
}

/**
 * The person's status at any instant from `from` on, from one read of their records: what was
 * over before `from` is left out, the rest is filtered by the clock as each instant is computed
 * (as the inputs cache relies on). For the history, which compares the status now with the one
 * at its last row's start and at the ends in between.
 */
export async function personStatusFrom(
  ctx: AppContext,
  personId: number,
  from: number,
  db?: Db,
): Promise<(at: number) => PersonStatus> {
  const rules = await statusRules(ctx, db);
  const inputs = await statusReader(ctx.store).inputs(personId, from, arrivalsSince(rules, from));
  return (at) => computeStatus(inputs, rules, at);
}

/**
 * A resident's own status. Not written to the audit log per view: the subject reading their own
 * colour is not an access to someone else's data, and at 40,000 views a second a record each
 * would be most of the log (docs/ZONES.md, "Status look-ups").
 */
export async function myStatus(ctx: AppContext, principal: Principal): Promise<PersonStatus> {
  const scope = principal.scope;
  if (scope.kind !== 'self') {
    throw new DomainError('forbidden', 'only a resident has a status of their own', [
      { field: 'role', message: principal.role },
    ]);
  }
  return computePersonStatus(ctx, scope.personId);
}

/** Staff reading one person's status in their region: scoped in the data layer and audited. */
export async function readPersonStatus(
  ctx: AppContext,
  principal: Principal,
  personId: number,
  requestId?: string,
): Promise<PersonStatus> {
  if (principal.scope.kind !== 'region') {
    throw new DomainError('forbidden', 'status by person id is for region-scoped staff', [
      { field: 'role', message: principal.role },
    ]);
  }
  await getScopedPerson(ctx, principal, personId);
  const status = await computePersonStatus(ctx, personId);
  await audit(ctx, {
    actor: actorOf(principal),
    action: 'status.read',
    subjectType: 'person',
    subjectIds: [personId],
    fields: ['health'],
    requestId: requestId ?? null,
    details: { colour: status.colour },
  });
  return status;
}

/** Organisation kinds whose staff check their workers before duty. */
const EMPLOYER_ROLES = ['employer'] as const;

/**
 * The on-duty check (信息比对): an employer scans the code a worker shows. The code's signature
 * and expiry are checked before any look-up; a person who does not work for the caller's
 * organisation is answered exactly like an unknown code, so nobody can probe other people.
 * Every check — allowed, refused, or outside the organisation — is audited before the answer.
 */
export async function onDutyCheck(
  ctx: AppContext,
  principal: Principal,
  code: string,
  requestId?: string,
): Promise<OnDutyAnswer> {
  if (
    !(EMPLOYER_ROLES as readonly string[]).includes(principal.role) ||
    principal.scope.kind !== 'organisation'
  ) {
    throw new DomainError('forbidden', 'on-duty checks are for employers', [
      { field: 'role', message: principal.role },
    ]);
  }
  const organisationId = principal.scope.organisationId;
  const body = decodePersonCode(ctx.secrets.codeKey, code, ctx.clock.now());
  const person: StatusPerson | null = await statusReader(ctx.store).personByRef(body.d, body.r);
  const record = (subjectIds: number[], details: Record<string, unknown>) =>
    audit(ctx, {
      actor: actorOf(principal),
      action: 'status.on_duty_check',
      subjectType: 'person',
      subjectIds,
      fields: ['health'],
      requestId: requestId ?? null,
      details: { organisationId, ...details },
    });
  if (!person || person.workplaceOrgId !== organisationId) {
    // The log names who was tried (an auditor looks for probing); the caller learns nothing.
    await record(person ? [person.id] : [], { outcome: person ? 'not_a_worker' : 'unknown_code' });
    throw new DomainError('out_of_scope', 'this code does not belong to one of your workers', [
      { field: 'code', message: 'not one of your workers' },
    ]);
  }
  const answer = decideOnDuty(await computePersonStatus(ctx, person.id));
  await record([person.id], {
    outcome: answer.allowed ? 'allowed' : 'refused',
    reasons: answer.reasons.map((r) => r.code),
  });
  return answer;
}
