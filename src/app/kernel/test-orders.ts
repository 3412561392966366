import { invalid, notFound } from '../../domain/errors.ts';
import {
  isTestOrderReason,
  ordersFulfilledBy,
  type SampleTaken,
  type TestOrder,
  type TestOrderReason,
  type TestOrderSource,
} from '../../domain/kernel/test-orders.ts';
import type { UnitOfWork } from '../context.ts';
import { chunks } from './repositories/db.ts';
import { loadPersonAddresses, type PersonAddress } from './repositories/person-addresses.ts';
import {
  closeOrders,
  dueForOverdue,
  findOpenOrders,
  insertTestOrders,
  markOverdue,
  openOrdersOfPeople,
  ordersOfPeopleFrom,
  type NewTestOrderRow,
  type TestOrderFilter,
} from './repositories/test-orders-repo.ts';
import { groupValuesBy } from '../../domain/group-by.ts';

/**
 * Test orders as services: screening, tracing, cases and compliance create them; screening
 * fulfils them from results; the clock reports the late ones (`test_order.overdue`), which the
 * monitoring rule turns into alerts.
 */
export interface CreateTestOrderInput {
  personId: number;
  reason: TestOrderReason;
  dueAt: number;
  /** The earliest sample that answers it; defaults to the unit of work's now. */
  notBefore?: number;
  source: TestOrderSource;
}

type TestOrderEvent =
  'test_order.created' | 'test_order.fulfilled' | 'test_order.cancelled' | 'test_order.overdue';

function publishOrder(
  uow: UnitOfWork,
  type: TestOrderEvent,
  o: TestOrder,
  address: PersonAddress,
  extra: Record<string, unknown> = {},
): void {
  uow.publish({
    type,
    occurredAt: type === 'test_order.fulfilled' ? (o.fulfilledAt ?? uow.now) : uow.now,
    regionIds: [address.leafRegionId],
    personId: o.personId,
    payload: {
      orderId: o.id,
      reason: o.reason,
      dueAt: o.dueAt,
      notBefore: o.notBefore,
      source: o.source,
      districtId: o.districtId,
      streetId: address.streetId,
      ...extra,
    },
  });
}

function identity(o: { personId: number; reason: string; source: TestOrderSource; dueAt: number }): string {
  return `${o.personId}:${o.reason}:${o.source.type}:${o.source.id}:${o.dueAt}`;
}

/** Creates orders, idempotently per (person, reason, source, due): a repeat returns the existing order. */
export async function createTestOrders(
  uow: UnitOfWork,
  inputs: readonly CreateTestOrderInput[],
): Promise<{ order: TestOrder; created: boolean }[]> {
  for (const [i, input] of inputs.entries()) {
    if (!isTestOrderReason(input.reason)) {
      throw invalid(`orders.${i}.reason`, `unknown reason ${String(input.reason)}`);
    }
    if (!Number.isFinite(input.dueAt)) throw invalid(`orders.${i}.dueAt`, 'must be an instant');
    if (input.notBefore !== undefined && input.notBefore > input.dueAt) {
      throw invalid(`orders.${i}.notBefore`, 'must not be after dueAt');
    }
  }
  if (inputs.length === 0) return [];
  const addresses = await loadPersonAddresses(
    uow.trx,
    inputs.map((i) => i.personId),
  );
  const people = inputs.map((i) => i.personId);
  const sources = inputs.map((i) => i.source);
  const known = new Map<string, TestOrder>();
  for (const o of await ordersOfPeopleFrom(uow.trx, people, sources)) known.set(identity(o), o);
  const wanted = new Map<string, NewTestOrderRow>();
  for (const input of inputs) {
    const k = identity(input);
    if (known.has(k) || wanted.has(k)) continue;
    wanted.set(k, {
      district_id: addresses.get(input.personId)!.districtId,
      person_id: input.personId,
      reason: input.reason,
      due_at: input.dueAt,
      not_before_at: Math.min(input.notBefore ?? uow.now, input.dueAt),
      source_type: input.source.type,
      source_id: input.source.id,
      created_at: uow.now,
    });
  }
  const created = new Set<string>();
  for (const o of await insertTestOrders(uow.trx, [...wanted.values()])) {
    created.add(identity(o));
    known.set(identity(o), o);
    publishOrder(uow, 'test_order.created', o, addresses.get(o.personId)!);
  }
  if ([...wanted.keys()].some((k) => !known.has(k))) {
    for (const o of await ordersOfPeopleFrom(uow.trx, people, sources)) known.set(identity(o), o);
  }
  return inputs.map((input) => {
    const order = known.get(identity(input));
    if (!order) throw notFound(`test order ${identity(input)}`);
    return { order, created: created.delete(identity(input)) };
  });
}

export async function createTestOrder(uow: UnitOfWork, input: CreateTestOrderInput) {
  const [result] = await createTestOrders(uow, [input]);
  return result;
}

/**
 * Fulfils the person's open orders that a valid result answers (the rule is the domain's
 * `ordersFulfilledBy`: per reason, all eligible orders, or for quarantine days the one the
 * sample was meant for). Returns the fulfilled orders; none is not an error.
 */
export async function fulfilTestOrders(
  uow: UnitOfWork,
  personId: number,
  sample: SampleTaken,
): Promise<TestOrder[]> {
  return fulfilTestOrdersOfMany(uow, [{ personId, sample }]);
}

/**
 * `fulfilTestOrders` for many people at once — a negative pool's members — with one read of
 * their open orders and of their addresses instead of one per person. Samples are applied in
 * the given order, so a person named twice is answered as by two calls in a row.
 */
export async function fulfilTestOrdersOfMany(
  uow: UnitOfWork,
  samples: readonly { personId: number; sample: SampleTaken }[],
): Promise<TestOrder[]> {
  if (samples.length === 0) return [];
  const open = await openOrdersOfPeople(
    uow.trx,
    samples.map((s) => s.personId),
  );
  const fulfilled: { order: TestOrder; sample: SampleTaken }[] = [];
  for (const { personId, sample } of samples) {
    const remaining = open.get(personId) ?? [];
    const chosen = ordersFulfilledBy(remaining, sample);
    if (chosen.length === 0) continue;
    open.set(
      personId,
      remaining.filter((o) => !chosen.includes(o)),
    );
    await closeOrders(
      uow.trx,
      chosen[0].districtId,
      chosen.map((o) => o.id),
      { status: 'fulfilled', fulfilledAt: sample.sampledAt, fulfilledBy: sample.ref },
    );
    for (const order of chosen) fulfilled.push({ order, sample });
  }
  if (fulfilled.length === 0) return [];
  const addresses = await loadPersonAddresses(
    uow.trx,
    fulfilled.map((f) => f.order.personId),
  );
  return fulfilled.map(({ order, sample }) => {
    const done = {
      ...order,
      status: 'fulfilled' as const,
      fulfilledAt: sample.sampledAt,
      fulfilledBy: sample.ref,
    };
    publishOrder(uow, 'test_order.fulfilled', done, addresses.get(order.personId)!, {
      fulfilledBy: sample.ref,
      late: sample.sampledAt > order.dueAt,
      wasOverdue: order.overdueAt != null,
    });
    return done;
  });
}

/** Cancels open orders (quarantine ended early, a duty withdrawn, the person moved away). */
export async function cancelTestOrders(
  uow: UnitOfWork,
  filter: TestOrderFilter,
  reason: string,
): Promise<TestOrder[]> {
  if (!reason.trim()) throw invalid('reason', 'say why the order is cancelled');
  const open = await findOpenOrders(uow.trx, filter);
  if (open.length === 0) return [];
  const byDistrict = groupValuesBy(
    open,
    (o) => o.districtId,
    (o) => o.id,
  );
  for (const [districtId, ids] of byDistrict) {
    await closeOrders(uow.trx, districtId, ids, { status: 'cancelled', reason });
  }
  const addresses = await loadPersonAddresses(
    uow.trx,
    open.map((o) => o.personId),
  );
  const cancelled = open.map((o) => ({ ...o, status: 'cancelled' as const, cancelledReason: reason }));
  for (const o of cancelled) {
    publishOrder(uow, 'test_order.cancelled', o, addresses.get(o.personId)!, {
      cancelReason: reason,
      wasOverdue: o.overdueAt != null,
    });
  }
  return cancelled;
}

/**
 * The clock's sweep: open orders past due that were not yet reported get `overdue_at` and one
 * `test_order.overdue` event each. Returns how many; call again while it returns `limit`.
 */
export async function markOverdueTestOrders(uow: UnitOfWork, limit = 2000): Promise<number> {
  const late = await dueForOverdue(uow.trx, uow.now, limit);
  if (late.length === 0) return 0;
  const byDistrict = groupValuesBy(
    late,
    (o) => o.districtId,
    (o) => o.id,
  );
  for (const [districtId, ids] of byDistrict) {
    for (const chunk of chunks(ids)) await markOverdue(uow.trx, districtId, chunk, uow.now);
  }
  const addresses = await loadPersonAddresses(
    uow.trx,
    late.map((o) => o.personId),
  );
  for (const o of late) {
    publishOrder(uow, 'test_order.overdue', { ...o, overdueAt: uow.now }, addresses.get(o.personId)!);
  }
  return late.length;
}
