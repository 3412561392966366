import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../src/app/access/audit.ts';
import { purgeExpiredPeople } from '../../src/app/access/purge.ts';
import { buildServer } from '../../src/api/server.ts';
import { FIXTURE, loadFixture } from '../support/fixture.ts';
import { openTestContext, testDialects, type TestContext } from '../support/harness.ts';
import { auditRows, createTestUsers } from './support.ts';

const DAY = 86_400_000;

describe.each(testDialects())('retention purge on %s', (dialect) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await openTestContext(dialect);
    await loadFixture(ctx);
    const now = ctx.clock.now();
    const set = (id: number, created: number, activity: number | null) =>
      ctx.store.db
        .updateTable('people')
        .set({ created_at: created, last_activity_at: activity })
        .where('id', '=', id)
        .execute();
    await set(FIXTURE.personA1, now - 200 * DAY, now - 91 * DAY); // last test 91 days ago: expired
    await set(FIXTURE.personA2, now - 200 * DAY, now - 10 * DAY); // registered long ago, tested recently: kept
    await set(FIXTURE.personB1, now - 91 * DAY, null); // registered 91 days ago, no activity since: expired
    await set(FIXTURE.personB2, now - 89 * DAY, null); // within the period: kept
  });
  afterAll(async () => {
    await ctx?.close();
  });

  const person = (id: number) =>
    ctx.store.db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('a dry run counts and changes nothing', async () => {
    const result = await purgeExpiredPeople(ctx, { retentionDays: 90, dryRun: true });
    expect(result).toMatchObject({
      dryRun: true,
      purged: 2,
      byDistrict: { [FIXTURE.districtA]: 1, [FIXTURE.districtB]: 1 },
    });
    expect((await person(FIXTURE.personA1)).name).toBe('张伟');
    expect(await auditRows(ctx)).toHaveLength(0);
  });

  it('removes the personal data of expired people only, keeps the rows, and is audited', async () => {
    const result = await purgeExpiredPeople(ctx, { retentionDays: 90, batchSize: 1 });
    expect(result.purged).toBe(2);
    for (const id of [FIXTURE.personA1, FIXTURE.personB1]) {
      expect(await person(id)).toMatchObject({
        name: null,
        phone: null,
        id_hash: null,
        household_id: null,
        floor: null,
        purged_at: ctx.clock.now(),
      });
    }
    // What aggregates need stays: area, building, birth year, flags.
    expect(await person(FIXTURE.personA1)).toMatchObject({
      district_id: FIXTURE.districtA,
      street_id: FIXTURE.streetA1,
      place_id: FIXTURE.buildingA1,
      birth_year: 1980,
    });
    for (const id of [FIXTURE.personA2, FIXTURE.personB2, FIXTURE.personA3]) {
      expect((await person(id)).name).not.toBeNull();
    }
    const purges = (await auditRows(ctx)).filter((r) => r.action === 'people.purge');
    expect(purges.flatMap((r) => JSON.parse(r.subject_ids) as number[]).sort()).toEqual([
      FIXTURE.personA1,
      FIXTURE.personB1,
    ]);
    expect(await verifyAuditLog(ctx)).toMatchObject({ ok: true });
    expect((await purgeExpiredPeople(ctx, { retentionDays: 90 })).purged).toBe(0);
  });

  it('shows purged people as purged, with nothing left to reveal', async () => {
    const auth = await createTestUsers(ctx);
    const app = await buildServer(ctx);
    try {
      const res = await app.inject({
        method: 'GET',
        url: `/api/v1/people/${FIXTURE.personB1}`,
        headers: auth.admin,
      });
      expect(res.json()).toMatchObject({ id: FIXTURE.personB1, name: null, phone: null, purged: true });
      const count = await app.inject({ method: 'GET', url: `/api/v1/people?limit=500`, headers: auth.admin });
      expect(count.json().items).toHaveLength(5);
    } finally {
      await app.close();
    }
  });
});
