import type { Transaction } from 'kysely';
import type { Principal } from '../../domain/access/principal.ts';
import { DomainError } from '../../domain/errors.ts';
import type { CordonEvent } from '../../domain/kernel/events.ts';
import { statusSignature, type PersonStatus } from '../../domain/status/compute.ts';
import type { EventConsumer } from '../../events/dispatcher.ts';
import type { Database } from '../../store/schema.ts';
import type { Db } from '../../store/zones/designations.ts';
import { actorOf, audit } from '../access/audit.ts';
import { getScopedPerson } from '../access/scoped-people.ts';
import { inTransaction, type AppContext, type UnitOfWork } from '../context.ts';
import { consumerUnitOfWork } from '../kernel/consumer-uow.ts';
import { STATUS_EVENTS } from './corrections.ts';
import { personStatusFrom } from './status.ts';

/**
 * A status keeps its history without a batch: whenever something about a person changes (an
 * episode, a test order — including the clock's overdue sweep —, an exemption, an arrival) the
 * consumer below recomputes their status and appends a row if the colour or the reasons moved,
 * and publishes `status.changed` for live screens. A change by the clock alone that no event
 * marks (an arrival window ending) is appended when the history is next read, dated by its cause.
 */
export const STATUS_HISTORY_CONSUMER = 'status.history';

export const STATUS_INPUT_EVENTS = [
  'control.started',
  'control.ended',
  'test_order.created',
  'test_order.fulfilled',
  'test_order.cancelled',
  'test_order.overdue',
  STATUS_EVENTS.exemptionRecorded,
  STATUS_EVENTS.exemptionRevoked,
  STATUS_EVENTS.arrivalRecorded,
] as const;

type HistoryRow = { colour: string; reasons: string; since: number };

async function lastRow(db: Db, personId: number): Promise<HistoryRow | null> {
  const row = await db
    .selectFrom('status_history')
    .select(['colour', 'reasons', 'since_at'])
    .where('person_id', '=', personId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { colour: row.colour, reasons: row.reasons, since: row.since_at } : null;
}

/** The newest history row of each person (none for those without history), in set statements. */
async function lastRows(db: Db, personIds: readonly number[]): Promise<Map<number, HistoryRow>> {
  const out = new Map<number, HistoryRow>();
  for (let i = 0; i < personIds.length; i += 500) {
    const chunk = personIds.slice(i, i + 500);
    const rows = await db
      .selectFrom('status_history')
      .select(['person_id', 'colour', 'reasons', 'since_at'])
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('status_history')
          .select((e) => e.fn.max('id').as('id'))
          .where('person_id', 'in', chunk)
          .groupBy('person_id'),
      )
      .execute();
    for (const r of rows) out.set(r.person_id, { colour: r.colour, reasons: r.reasons, since: r.since_at });
  }
  return out;
}

/** When the change took effect: the start of the newest reason that was not there before, else `fallback`. */
function changedAt(status: PersonStatus, previous: string | null, fallback: number): number {
  const before = new Set((previous ?? '').split(',').filter(Boolean));
  const fresh = status.reasons.filter((r) => !before.has(r.code)).map((r) => r.since);
  return fresh.length ? Math.min(Math.max(...fresh), fallback) : fallback;
}

async function appendRow(
  uow: UnitOfWork,
  person: { id: number; districtId: number; regionId: number },
  status: PersonStatus,
  since: number,
  previous: { colour: string; reasons: string } | null,
) {
  const reasons = status.reasons
    .map((r) => r.code)
    .sort()
    .join(',');
  await uow.trx
    .insertInto('status_history')
    .values({
      district_id: person.districtId,
      person_id: person.id,
      since_at: since,
      colour: status.colour,
      reasons,
      recorded_at: uow.now,
    })
    .execute();
  uow.publish({
    type: STATUS_EVENTS.changed,
    occurredAt: since,
    regionIds: [person.regionId],
    personId: person.id,
    payload: {
      personId: person.id,
      districtId: person.districtId,
      colour: status.colour,
      reasons: status.reasons.map((r) => r.code),
      previous: previous
        ? { colour: previous.colour, reasons: previous.reasons ? previous.reasons.split(',') : [] }
        : null,
    },
  });
  return { colour: status.colour, reasons };
}

/**
 * Brings a person's history up to date and appends a row if the status now differs from the
 * last one. Changes the clock made in between without an event (a quarantine's planned end, an
 * arrival window closing) are found at the ends of the last row's reasons and recorded at those
 * instants, so the history shows them in their place.
 */
export async function reconcileHistory(
  uow: UnitOfWork,
  ctx: AppContext,
  person: { id: number; districtId: number; regionId: number },
  fallbackAt: number,
  /** The person's newest history row when the caller read it already (undefined: read it here). */
  lastKnown?: HistoryRow | null,
) {
  let last = lastKnown === undefined ? await lastRow(uow.trx, person.id) : lastKnown;
  // One read of the person's records serves every instant compared below.
  const statusAt = await personStatusFrom(ctx, person.id, Math.min(last?.since ?? uow.now, uow.now), uow.trx);
  const status = statusAt(uow.now);
  const signature = statusSignature(status);
  if (last && `${last.colour}:${last.reasons}` === signature) return { status, changed: false };
  if (last) {
    const before = statusAt(last.since);
    const ends = [
      ...new Set(
        before.reasons
          .map((r) => r.until)
          .filter((u): u is number => u != null && u > last!.since && u <= fallbackAt),
      ),
    ].sort((a, b) => a - b);
    for (const end of ends) {
      const then = statusAt(end);
      if (statusSignature(then) === `${last.colour}:${last.reasons}` || statusSignature(then) === signature) {
        continue;
      }
      last = { ...(await appendRow(uow, person, then, end, last)), since: end };
    }
  }
  const since = last ? changedAt(status, last.reasons, fallbackAt) : fallbackAt;
  await appendRow(uow, person, status, since, last);
  return { status, changed: true };
}

type PersonAddress = { id: number; districtId: number; regionId: number };

async function personAddresses(db: Db, personIds: readonly number[]): Promise<Map<number, PersonAddress>> {
  const out = new Map<number, PersonAddress>();
  for (let i = 0; i < personIds.length; i += 500) {
    const rows = await db
      .selectFrom('people')
      .select(['id', 'district_id', 'street_id', 'committee_id'])
      .where('id', 'in', personIds.slice(i, i + 500))
      .execute();
    for (const p of rows) {
      out.set(p.id, { id: p.id, districtId: p.district_id, regionId: p.committee_id ?? p.street_id });
    }
  }
  return out;
}

async function personAddress(db: Db, personId: number): Promise<PersonAddress | null> {
  return (await personAddresses(db, [personId])).get(personId) ?? null;
}

export function statusHistoryConsumer(ctx: AppContext): EventConsumer {
  /**
   * A delivery's people at once: their addresses and last rows in set statements, then each
   * person reconciled once — the status is computed from what is committed now, so a second
   * event of the same person in the batch would find nothing new; the first one dates it.
   */
  const handleBatch = async (events: readonly CordonEvent[], trx: Transaction<Database>) => {
    const firstAt = new Map<number, number>();
    for (const e of events) {
      if (e.personId != null && !firstAt.has(e.personId)) firstAt.set(e.personId, e.occurredAt);
    }
    if (firstAt.size === 0) return;
    const ids = [...firstAt.keys()];
    const addresses = await personAddresses(trx, ids);
    const last = await lastRows(trx, ids);
    const uow = consumerUnitOfWork(ctx, trx);
    for (const [personId, at] of firstAt) {
      const person = addresses.get(personId);
      if (person) await reconcileHistory(uow, ctx, person, Math.min(at, uow.now), last.get(personId) ?? null);
    }
    await uow.flush();
  };
  return {
    name: STATUS_HISTORY_CONSUMER,
    types: STATUS_INPUT_EVENTS,
    handle: (event, trx) => handleBatch([event], trx),
    handleBatch,
  };
}

/**
 * A person's status history, newest first, brought up to date first. Staff read people of their
 * region (audited); a resident reads their own.
 */
export async function statusHistory(
  ctx: AppContext,
  principal: Principal,
  personId: number,
  requestId?: string,
) {
  const scope = principal.scope;
  if (scope.kind === 'self') {
    if (scope.personId !== personId) {
      throw new DomainError('out_of_scope', 'a resident sees only their own status', [
        { field: 'personId', message: 'not you' },
      ]);
    }
  } else if (scope.kind === 'region') {
    await getScopedPerson(ctx, principal, personId);
  } else {
    throw new DomainError('forbidden', 'status history is for staff of the region and the person', [
      { field: 'role', message: principal.role },
    ]);
  }
  const person = await personAddress(ctx.store.db, personId);
  if (!person) throw new DomainError('out_of_scope', `person ${personId} is not in your area`);
  const current = await inTransaction(
    ctx,
    async (uow) => (await reconcileHistory(uow, ctx, person, uow.now)).status,
  );
  const rows = await ctx.store.db
    .selectFrom('status_history')
    .selectAll()
    .where('person_id', '=', personId)
    .orderBy('id', 'desc')
    .limit(500)
    .execute();
  if (scope.kind === 'region') {
    await audit(ctx, {
      actor: actorOf(principal),
      action: 'status.history.read',
      subjectType: 'person',
      subjectIds: [personId],
      fields: ['health'],
      requestId: requestId ?? null,
    });
  }
  return {
    current,
    history: rows.map((r) => ({
      since: r.since_at,
      colour: r.colour,
      reasons: r.reasons ? r.reasons.split(',') : [],
      recordedAt: r.recorded_at,
    })),
  };
}
