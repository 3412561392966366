import { createUser } from '../../src/app/access/users.ts';
import { inTransaction } from '../../src/app/context.ts';
import { openEpisodes } from '../../src/app/kernel/control-episodes.ts';
import { createTestOrders } from '../../src/app/kernel/test-orders.ts';
import type { RegionNode } from '../../src/app/registry/region-directory.ts';
import { seedCity } from '../../src/app/registry/seed.ts';
import type { TestContext } from '../support/harness.ts';

export const HOUR = 3600_000;
export const ADMIN = { username: 'wall-admin', password: 'wall-screen-2022' };
export const DISTRICT_USER = { username: 'district-cmd', password: 'district-cmd-2022' };

/** What the page must show, read from the database the server serves (not assumed). */
export interface CityFacts {
  city: RegionNode;
  /** The district the tests drill into and its commander is scoped to (the first by code). */
  district: RegionNode;
  streets: RegionNode[];
  /** Largest first: the map test clicks the one easiest to hit. */
  districtsByArea: RegionNode[];
  cityPeople: number;
  districtPeople: number;
}

async function districtsByArea(ctx: TestContext): Promise<RegionNode[]> {
  const rows = await ctx.store.db
    .selectFrom('regions')
    .select('id')
    .where('level', '=', 'district')
    .orderBy('area_km2', 'desc')
    .execute();
  return rows.map((r) => ctx.regions.get(Number(r.id))!);
}

async function peopleIn(ctx: TestContext, districtId?: number): Promise<number> {
  let q = ctx.store.db.selectFrom('people').select((eb) => eb.fn.countAll<number>().as('n'));
  if (districtId !== undefined) q = q.where('district_id', '=', districtId);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

/**
 * The synthetic city at a tiny scale (16 districts with their shapes, ~5,000 people, seconds to
 * seed), plus what the dashboard can show today, made through the kernel's own services so that
 * events and derived rows are as in production: two people under control in the first district
 * and one in another, and one open test order in each of two districts. Two users log in by form.
 */
export async function loadDashboardCity(ctx: TestContext): Promise<CityFacts> {
  await seedCity(ctx, { scale: 0.0002, seed: 1 });
  const city = ctx.regions.city()!;
  const [district, other] = ctx.regions.districts().sort((a, b) => a.code.localeCompare(b.code));
  const pick = async (districtId: number, n: number) =>
    (
      await ctx.store.db
        .selectFrom('people')
        .select('id')
        .where('district_id', '=', districtId)
        .orderBy('id')
        .limit(n)
        .execute()
    ).map((r) => Number(r.id));
  const [a1, a2, a3] = await pick(district.id, 3);
  const [b1] = await pick(other.id, 1);

  const now = ctx.clock.now();
  await inTransaction(ctx, async (uow) => {
    await openEpisodes(uow, [
      { personId: a1, kind: 'quarantine', source: { type: 'test', id: 'contact-1' } },
      { personId: a2, kind: 'sealed_residence', source: { type: 'test', id: 'zone-1' } },
      { personId: b1, kind: 'sealed_residence', source: { type: 'test', id: 'zone-2' } },
    ]);
    await createTestOrders(uow, [
      { personId: a3, reason: 'pool_retest', dueAt: now + HOUR, source: { type: 'test', id: 'pool-1' } },
      { personId: b1, reason: 'pool_retest', dueAt: now + 3 * HOUR, source: { type: 'test', id: 'pool-2' } },
    ]);
  });
  await createUser(ctx, { ...ADMIN, role: 'admin', regionId: city.id, displayName: '值班长' });
  await createUser(ctx, {
    ...DISTRICT_USER,
    role: 'district_command',
    regionId: district.id,
    displayName: '区指挥',
  });
  await ctx.events.drain();
  return {
    city,
    district,
    streets: ctx.regions.childrenOf(district.id),
    districtsByArea: await districtsByArea(ctx),
    cityPeople: await peopleIn(ctx),
    districtPeople: await peopleIn(ctx, district.id),
  };
}
