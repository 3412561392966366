import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../src/app/access/tokens.ts';
import { buildServer, type CordonApp } from '../../src/api/server.ts';
import type { Principal } from '../../src/domain/access/principal.ts';
import { FIXTURE as F, loadFixture } from '../support/fixture.ts';
import { openTestContext, testDialects, type TestContext } from '../support/harness.ts';

const SQUARE = {
  type: 'Polygon',
  coordinates: [
    [
      [121.47, 31.23],
      [121.49, 31.23],
      [121.49, 31.24],
      [121.47, 31.24],
      [121.47, 31.23],
    ],
  ],
};

const principals = {
  admin: { userId: 1, username: 'admin', role: 'admin', scope: { kind: 'region', regionId: F.city } },
  districtA: {
    userId: 2,
    username: 'huangpu',
    role: 'district_command',
    scope: { kind: 'region', regionId: F.districtA },
  },
  streetA1: {
    userId: 3,
    username: 'nanjingdong',
    role: 'street_staff',
    scope: { kind: 'region', regionId: F.streetA1 },
  },
  employerA: {
    userId: 4,
    username: 'courier',
    role: 'employer',
    scope: { kind: 'organisation', organisationId: F.workplaceA },
  },
  residentB: { userId: 5, username: 'liu', role: 'resident', scope: { kind: 'self', personId: F.personB1 } },
} satisfies Record<string, Principal>;

describe.each(testDialects())('registry routes on %s', (dialect) => {
  let ctx: TestContext;
  let app: CordonApp;
  const get = async (who: keyof typeof principals | null, url: string) => {
    const headers = who
      ? { authorization: `Bearer ${issueToken(ctx.secrets.tokenKey, principals[who], ctx.clock.now())}` }
      : {};
    const response = await app.inject({ method: 'GET', url: `/api/v1${url}`, headers });
    return { status: response.statusCode, body: response.json() };
  };

  beforeAll(async () => {
    ctx = await openTestContext(dialect);
    await loadFixture(ctx);
    await ctx.store.db
      .updateTable('regions')
      .set({ geometry: JSON.stringify(SQUARE) })
      .where('id', '=', F.streetA1)
      .execute();
    app = await buildServer(ctx);
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  it('needs a login', async () => {
    expect((await get(null, '/regions')).status).toBe(401);
  });

  it('gives the city its whole tree', async () => {
    const { status, body } = await get('admin', '/regions');
    expect(status).toBe(200);
    expect(body.rootId).toBe(F.city);
    expect(body.regions.map((r: { id: number }) => r.id)).toEqual([
      F.city,
      F.districtA,
      F.districtB,
      F.streetA1,
      F.streetA2,
      F.streetB1,
      F.committeeA1,
      F.committeeB1,
    ]);
    expect(body.regions.every((r: { namesOnly: boolean }) => !r.namesOnly)).toBe(true);
    const streetsOnly = await get('admin', '/regions?maxLevel=street');
    expect(streetsOnly.body.regions.some((r: { level: string }) => r.level === 'committee')).toBe(false);
  });

  it('gives a district its subtree and only the names of its ancestors', async () => {
    const { body } = await get('districtA', '/regions');
    expect(body.rootId).toBe(F.districtA);
    const ids = body.regions.map((r: { id: number }) => r.id);
    expect(ids).toEqual([F.city, F.districtA, F.streetA1, F.streetA2, F.committeeA1]);
    const city = body.regions[0];
    expect(city).toMatchObject({ name: '上海市', namesOnly: true, population: null });
    expect(body.regions[1]).toMatchObject({ namesOnly: false, population: 3 });
  });

  it('hides other districts: a region outside the subtree is out of scope', async () => {
    const other = await get('districtA', `/regions/${F.districtB}`);
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('out_of_scope');
    expect((await get('streetA1', `/regions/${F.streetA2}`)).status).toBe(404);
    expect((await get('streetA1', `/regions/${F.districtA}/children`)).status).toBe(404);
    const ancestor = await get('streetA1', `/regions/${F.districtA}`);
    expect(ancestor.status).toBe(200);
    expect(ancestor.body).toMatchObject({
      name: '黄浦区',
      namesOnly: true,
      population: null,
      geometry: null,
    });
  });

  it('returns a region with its shape and its children as GeoJSON for the map', async () => {
    const street = await get('streetA1', `/regions/${F.streetA1}`);
    expect(street.body.geometry).toEqual(SQUARE);
    expect(street.body.children).toBe(1);
    const { status, body } = await get('districtA', `/regions/${F.districtA}/children?geometry=1`);
    expect(status).toBe(200);
    expect(body.type).toBe('FeatureCollection');
    expect(body.features.map((f: { id: number }) => f.id)).toEqual([F.streetA1, F.streetA2]);
    expect(body.features[0]).toMatchObject({
      type: 'Feature',
      geometry: SQUARE,
      properties: { name: '南京东路街道', level: 'street' },
    });
    const plain = await get('districtA', `/regions/${F.districtA}/children`);
    expect(plain.body.features[0].geometry).toBeNull();
  });

  it('shows organisation and self scopes their own district, by name only', async () => {
    const employer = await get('employerA', '/regions');
    expect(employer.body.rootId).toBe(F.districtA);
    expect(
      employer.body.regions.every(
        (r: { namesOnly: boolean; population: number | null }) => r.namesOnly && r.population === null,
      ),
    ).toBe(true);
    expect(employer.body.regions.map((r: { id: number }) => r.id)).not.toContain(F.districtB);
    const resident = await get('residentB', '/regions');
    expect(resident.body.rootId).toBe(F.districtB);
    expect((await get('residentB', `/regions/${F.districtA}`)).status).toBe(404);
  });

  it('lists places in scope with a cursor', async () => {
    const first = await get('admin', '/places?limit=2');
    expect(first.body.items.map((p: { id: number }) => p.id)).toEqual([F.compoundA, F.buildingA1]);
    const second = await get('admin', `/places?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((p: { id: number }) => p.id)).toEqual([F.buildingA2, F.buildingB1]);
    expect(second.body.nextCursor).toBeNull();
    const buildings = await get('districtA', `/places?street=${F.streetA1}&kind=building`);
    expect(buildings.body.items.map((p: { id: number }) => p.id)).toEqual([F.buildingA1, F.buildingA2]);
    const inCompound = await get('districtA', `/places?parent=${F.compoundA}`);
    expect(inCompound.body.items).toHaveLength(2);
    const scoped = await get('districtA', '/places');
    expect(scoped.body.items.every((p: { districtId: number }) => p.districtId === F.districtA)).toBe(true);
    expect((await get('districtA', `/places?street=${F.streetB1}`)).status).toBe(404);
    expect((await get('districtA', `/places?street=${F.districtA}`)).status).toBe(400);
  });
});
