import { actorOf, audit } from '../../src/app/access/audit.ts';
import { admitFor } from '../../src/app/cases/facility-commands.ts';
import { loadFacilities } from '../../src/app/cases/facilities-cache.ts';
import { allocateManyFor, arriveFor, dispatchFor, pickUpFor } from '../../src/app/cases/transfer-commands.ts';
import type { AppContext } from '../../src/app/context.ts';
import type { Principal } from '../../src/domain/access/principal.ts';
import type { ManualClock } from '../../src/domain/time/clock.ts';
import type { OrderRow } from '../../src/store/cases/orders.ts';

/**
 * The timed part of the transfer benchmark: the day's waiting orders taken to admission through
 * the services the API calls, each step as the user entitled to it (command allocates and
 * dispatches, the district's transport team reports pick-up and arrival, the facility admits).
 * After each request its audit record is written as the API route writes it (one per request,
 * naming the people concerned), and the next request waits for it, as the route's answer does.
 */
export const MINUTE = 60_000;

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await work();
  return [value, (performance.now() - started) / 1000];
}

/** The route's audit record of a request (src/api/transfers/routes.ts, facilities/routes.ts). */
function recordRequest(
  ctx: AppContext,
  principal: Principal,
  action: string,
  personIds: number[],
  details?: Record<string, unknown>,
): Promise<void> {
  return audit(ctx, {
    actor: actorOf(principal),
    action,
    subjectType: 'person',
    subjectIds: personIds,
    fields: [],
    details,
  });
}

const people = (orders: readonly OrderRow[]) => orders.map((o) => o.person_id);

export interface DriveOptions {
  perVehicle: number;
  perConvoy: number;
}

export async function driveToAdmission(
  ctx: AppContext,
  clock: ManualClock,
  command: Principal,
  waiting: readonly OrderRow[],
  { perVehicle, perConvoy }: DriveOptions,
): Promise<{ admitted: number; seconds: number; stage: Record<string, number> }> {
  const teams = new Map(
    (
      await ctx.store.db
        .selectFrom('organisations')
        .select(['id', 'district_id'])
        .where('kind', '=', 'transport')
        .where('sector', '=', 'transfer')
        .execute()
    ).map((t) => [t.district_id, t.id]),
  );
  const stage: Record<string, number> = {};
  const [admitted, seconds] = await timed(async () => {
    clock.advance(15 * MINUTE);
    const [allocation, allocateSeconds] = await timed(async () => {
      const out = { allocated: [] as OrderRow[], unplaced: [] as OrderRow[] };
      for (const batch of chunk(waiting, 500)) {
        const r = await allocateManyFor(ctx, command, { orderIds: batch.map((o) => o.id) });
        await recordRequest(ctx, command, 'transfers.allocate', people([...r.allocated, ...r.unplaced]), {
          allocated: r.allocated.length,
          unplaced: r.unplaced.length,
        });
        out.allocated.push(...r.allocated);
        out.unplaced.push(...r.unplaced);
        stage.allRequests = (stage.allRequests ?? 0) + 1;
      }
      return out;
    });
    stage.allocateSeconds = allocateSeconds;
    stage.unplaced = allocation.unplaced.length;
    // A vehicle takes people of one district to one facility; a district's team sends convoys.
    const byDistrict = new Map<number, Map<number, OrderRow[]>>();
    for (const o of allocation.allocated) {
      const facilities = byDistrict.get(o.district_id) ?? new Map<number, OrderRow[]>();
      facilities.set(o.facility_id!, [...(facilities.get(o.facility_id!) ?? []), o]);
      byDistrict.set(o.district_id, facilities);
    }
    const convoys = [...byDistrict.values()].flatMap((facilities) =>
      chunk(
        [...facilities.values()].flatMap((list) => chunk(list, perVehicle)),
        perConvoy,
      ),
    );
    stage.vehicles = convoys.reduce((n, c) => n + c.length, 0);
    stage.requests = convoys.length;
    const team = (c: OrderRow[][]) => teams.get(c[0][0].district_id)!;
    const crew = (c: OrderRow[][]): Principal => ({
      userId: 2,
      username: `crew-${team(c)}`,
      role: 'transfer',
      scope: { kind: 'organisation', organisationId: team(c) },
    });
    const ids = (c: OrderRow[][]) => c.flat().map((o) => o.id);
    let plate = 0;
    const steps: [string, (c: OrderRow[][]) => Promise<unknown>][] = [
      [
        'dispatchSeconds',
        async (c) => {
          const vehicles = c.map((v) => ({
            vehicle: `沪B·${String(plate++).padStart(5, '0')}`,
            orderIds: v.map((o) => o.id),
          }));
          const moved = await dispatchFor(ctx, command, ids(c), { transportOrgId: team(c), vehicles });
          await recordRequest(ctx, command, 'transfers.dispatch', people(moved), {
            vehicles: vehicles.map((v) => v.vehicle),
          });
        },
      ],
      [
        'pickupSeconds',
        async (c) =>
          recordRequest(ctx, crew(c), 'transfers.pickup', people(await pickUpFor(ctx, crew(c), ids(c)))),
      ],
      [
        'arriveSeconds',
        async (c) =>
          recordRequest(ctx, crew(c), 'transfers.arrive', people(await arriveFor(ctx, crew(c), ids(c)))),
      ],
    ];
    for (const [name, step] of steps) {
      clock.advance(30 * MINUTE);
      stage[name] = (
        await timed(async () => {
          for (const c of convoys) await step(c);
          stage.allRequests += convoys.length;
        })
      )[1];
    }
    clock.advance(20 * MINUTE);
    const facilities = await loadFacilities(ctx.store.db, [
      ...new Set(allocation.allocated.map((o) => o.facility_id!)),
    ]);
    const [count, admitSeconds] = await timed(async () => {
      let n = 0;
      stage.admitRequests = 0;
      for (const c of convoys) {
        const toFacility = new Map<number, OrderRow[]>();
        for (const o of c.flat()) {
          toFacility.set(o.facility_id!, [...(toFacility.get(o.facility_id!) ?? []), o]);
        }
        for (const [facilityId, list] of toFacility) {
          const f = facilities.get(facilityId)!;
          const staff: Principal = {
            userId: 3,
            username: `staff-${f.id}`,
            role: 'facility',
            scope: { kind: 'organisation', organisationId: f.organisationId },
          };
          stage.admitRequests++;
          const admitted = await admitFor(
            ctx,
            staff,
            f.id,
            list.map((o) => ({ orderId: o.id })),
          );
          await recordRequest(
            ctx,
            staff,
            'facilities.admit',
            admitted.map((a) => a.person_id),
            { facilityId: f.id },
          );
          n += admitted.length;
        }
      }
      return n;
    });
    stage.admitSeconds = admitSeconds;
    stage.allRequests += stage.admitRequests;
    return count;
  });
  return { admitted, seconds, stage };
}
