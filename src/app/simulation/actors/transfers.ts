import type { Movement } from '../../../domain/simulation/logistics.ts';
import { ApiError, inParallel } from '../http-client.ts';
import { count, orgToken, problem, type ActorContext } from './actor-context.ts';

/**
 * 转 → 收: the command post confirms the allocator's beds for the people the transfer teams can
 * move now and sends a vehicle per district (POST /transfers/allocate, /dispatch); the crew
 * reports pick-up and arrival (/pickup, /arrive, as the team's account); the facility confirms the
 * hand-off with a bed (POST /facilities/{id}/admissions). Discharges follow the facility's rules:
 * a case's two negative tests 24 h apart are recorded, then the discharge. Whom to move, and
 * when, is the model's (its transfer capacity and open beds); where to, is Cordon's allocator.
 */
interface Order {
  id: number;
  personId: number;
  kind: 'case' | 'contact';
  districtId: number;
  facilityId: number | null;
  status: string;
}

async function waitingOrders(actors: ActorContext): Promise<Map<string, Order>> {
  const out = new Map<string, Order>();
  for (let cursor: number | null = null; ;) {
    const page: { items: Order[]; nextCursor: number | null } = await actors.api.get(
      actors.tokens.command,
      `/transfers?status=waiting&order=oldest&limit=1000${cursor ? `&cursor=${cursor}` : ''}`,
      '/transfers',
    );
    for (const o of page.items) {
      if (!out.has(`${o.kind}:${o.personId}`)) out.set(`${o.kind}:${o.personId}`, o);
    }
    if (page.nextCursor == null || page.items.length === 0) break;
    cursor = page.nextCursor;
  }
  return out;
}

function groupBy<T>(items: readonly T[], key: (t: T) => number): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const t of items) out.set(key(t), [...(out.get(key(t)) ?? []), t]);
  return out;
}

export async function moveToFacilities(actors: ActorContext, movements: readonly Movement[]): Promise<void> {
  if (movements.length === 0) return;
  const ids = actors.sim.population.personIds;
  const waiting = await waitingOrders(actors);
  // A set: the model may move one person twice in a step (traced as a contact, then found
  // positive), and both name the same waiting order; the allocator refuses a repeated id.
  const chosen = new Set<number>();
  for (const m of movements) {
    const order = waiting.get(`${m.kind}:${ids[m.person]}`);
    if (order) chosen.add(order.id);
    else problem(actors, `no waiting ${m.kind} order to move`);
  }
  const orderIds = [...chosen];
  if (orderIds.length === 0) return;
  const allocated: Order[] = [];
  for (let i = 0; i < orderIds.length; i += 5000) {
    const r = await actors.api.post<{ allocated: Order[]; unplaced: unknown[] }>(
      actors.tokens.command,
      '/transfers/allocate',
      { orderIds: orderIds.slice(i, i + 5000) },
      '/transfers/allocate',
    );
    allocated.push(...r.allocated);
    if (r.unplaced.length > 0) {
      problem(actors, 'orders the allocator could not place (no free bed)', r.unplaced.length);
    }
  }
  // One vehicle run per district, by the district's transfer crew.
  await inParallel([...groupBy(allocated, (o) => o.districtId)], 2, async ([districtId, orders]) => {
    const crew = actors.organisations.crewsByDistrict.get(districtId)?.[0];
    if (crew == null) return problem(actors, 'district without a transfer crew');
    for (let i = 0; i < orders.length; i += 1000) {
      const chunk = orders.slice(i, i + 1000).map((o) => o.id);
      await actors.api.post(
        actors.tokens.command,
        '/transfers/dispatch',
        { transportOrgId: crew, orderIds: chunk, vehicle: `沪A-SIM${districtId}` },
        '/transfers/dispatch',
      );
      await actors.api.post(
        orgToken(actors, crew),
        '/transfers/pickup',
        { orderIds: chunk },
        '/transfers/pickup',
      );
      await actors.api.post(
        orgToken(actors, crew),
        '/transfers/arrive',
        { orderIds: chunk },
        '/transfers/arrive',
      );
    }
  });
  await inParallel(
    [
      ...groupBy(
        allocated.filter((o) => o.facilityId != null),
        (o) => o.facilityId!,
      ),
    ],
    2,
    async ([facilityId, orders]) => {
      const token = orgToken(actors, actors.organisations.facilityOrgOf.get(facilityId)!);
      for (let i = 0; i < orders.length; i += 1000) {
        const r = await actors.api.post<{ items: { id: number; personId: number; facilityId: number }[] }>(
          token,
          `/facilities/${facilityId}/admissions`,
          { orders: orders.slice(i, i + 1000).map((o) => ({ orderId: o.id })) },
          '/facilities/{id}/admissions',
        );
        for (const stay of r.items) {
          actors.state.stays.set(stay.personId, { admissionId: stay.id, facilityId: stay.facilityId });
        }
        count(actors, 'admissions', r.items.length);
      }
    },
  );
}

export async function discharge(
  actors: ActorContext,
  movements: readonly Movement[],
  at: number,
): Promise<void> {
  const ids = actors.sim.population.personIds;
  await inParallel(movements, 4, async (m) => {
    const stay = actors.state.stays.get(ids[m.person]);
    if (!stay) return;
    actors.state.stays.delete(ids[m.person]);
    const token = orgToken(actors, actors.organisations.facilityOrgOf.get(stay.facilityId)!);
    const base = `/admissions/${stay.admissionId}`;
    try {
      if (m.kind === 'case') {
        // The shelter hospital's rule: two negatives (Ct ≥ 35) at least 24 h apart.
        await actors.api.post(
          token,
          `${base}/tests`,
          { sampledAt: at - 25 * 3600_000, result: 'negative', ct: null },
          '/admissions/{id}/tests',
        );
        await actors.api.post(
          token,
          `${base}/tests`,
          { sampledAt: at - 3600_000, result: 'negative', ct: null },
          '/admissions/{id}/tests',
        );
      }
      try {
        await actors.api.post(token, `${base}/discharge`, {}, '/admissions/{id}/discharge');
      } catch (error) {
        if (!(error instanceof ApiError) || error.status >= 500) throw error;
        // A contact who waited at home before the transfer served part of the quarantine there.
        await actors.api.post(
          token,
          `${base}/discharge`,
          {
            overrideReason:
              '隔离期满（含转运前居家隔离天数）— quarantine served, partly at home before the transfer',
          },
          '/admissions/{id}/discharge',
        );
        count(actors, 'discharges with an override reason');
      }
      count(actors, 'discharges');
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      problem(actors, `discharge refused: ${error.code}`);
    }
  });
}
