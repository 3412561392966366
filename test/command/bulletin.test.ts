import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tick } from '../../src/app/kernel/rule-runner.ts';
import type { Bulletin } from '../../src/domain/command/bulletin.ts';
import { atLocalTime } from '../../src/domain/time/calendar.ts';
import { openTestContext, testDialects, type TestContext } from '../support/harness.ts';
import { FIXTURE, loadCommandWorld, type CommandWorld } from './world.ts';

const TZ = 'Asia/Shanghai';

/** 权威信息发布: issued when the day is over, public, as JSON and Atom, never naming a person. */
describe.each(testDialects())('daily bulletin on %s', (dialect) => {
  let ctx: TestContext;
  let w: CommandWorld;
  const publicGet = (url: string, headers: Record<string, string> = {}) =>
    w.app.inject({ method: 'GET', url: `/api/v1${url}`, headers });

  beforeAll(async () => {
    ctx = await openTestContext(dialect);
    w = await loadCommandWorld(ctx);
  });
  afterAll(async () => {
    await w.app.close();
    await ctx.close();
  });

  it('is not issued before the day is over', async () => {
    const res = await publicGet('/bulletin/2022-04-13');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.details[0]).toMatchObject({ field: 'day', message: 'not issued yet' });
    expect(await ctx.store.db.selectFrom('bulletins').selectAll().execute()).toEqual([]);
  });

  it('is issued by the clock after midnight with the day’s figures by district', async () => {
    ctx.clock.set(atLocalTime('2022-04-14', 0, 15, TZ));
    await tick(ctx);
    await ctx.events.drain();
    const stored = await ctx.store.db.selectFrom('bulletins').select(['day']).execute();
    expect(stored.map((r) => r.day)).toEqual(['2022-04-13']);
    const issued = await ctx.store.db
      .selectFrom('events')
      .select('payload')
      .where('type', '=', 'bulletin.issued')
      .execute();
    expect(issued).toHaveLength(1);

    const res = await publicGet('/bulletin/2022-04-13');
    expect(res.statusCode).toBe(200);
    const b = res.json<Bulletin>();
    const cases = await ctx.store.db
      .selectFrom('cases')
      .selectAll()
      .where('reported_day', '=', '2022-04-13')
      .execute();
    expect(cases.length).toBeGreaterThan(0);
    const community = cases.filter((c) => c.classification === 'community').length;
    expect(b.totals).toMatchObject({
      newPositives: cases.length,
      community,
      insideControl: cases.length - community,
    });
    expect(b.districts.map((d) => d.regionId)).toEqual([FIXTURE.districtA, FIXTURE.districtB]);
    const a = b.districts[0];
    expect(a).toMatchObject({ name: '黄浦区', nameEn: 'Huangpu', newPositives: cases.length });
    expect(a.places).toEqual([{ name: '贵州小区', address: '贵州路1弄' }]);
    expect(b.districts[1]).toMatchObject({ newPositives: 0, community: 0, places: [] });
    const zoneCounts = await w.call('GET', '/zones/counts', 'admin');
    const sealed = zoneCounts.rows
      .filter((r: { level: string }) => r.level === 'sealed')
      .reduce((s: number, r: { places: number }) => s + r.places, 0);
    expect(b.totals.zones.sealed).toBe(sealed);
  });

  it('never names a person', async () => {
    const text = (await publicGet('/bulletin/2022-04-13')).body;
    const people = await ctx.store.db.selectFrom('people').select(['name', 'phone', 'ref']).execute();
    for (const p of people) {
      for (const value of [p.name, p.phone, p.ref]) if (value) expect(text).not.toContain(value);
    }
    expect(text).not.toMatch(/personId|householdId|号楼|\d+室/);
  });

  it('stays as issued, is the latest, and is listed', async () => {
    const first = (await publicGet('/bulletin/2022-04-13')).json<Bulletin>();
    ctx.clock.advance(3_600_000);
    const again = (await publicGet('/bulletin/2022-04-13')).json<Bulletin>();
    expect(again.issuedAt).toBe(first.issuedAt);
    expect((await publicGet('/bulletin/latest')).json<Bulletin>().day).toBe('2022-04-13');
    const list = (await publicGet('/bulletin')).json();
    expect(list.items[0]).toMatchObject({ day: '2022-04-13', newPositives: first.totals.newPositives });
  });

  it('is generated on demand for a finished day that has none, and counts deaths on their day', async () => {
    const old = await publicGet('/bulletin/2022-04-01');
    expect(old.statusCode).toBe(200);
    expect(old.json<Bulletin>().totals.newPositives).toBe(0);
    const caseRow = await ctx.store.db
      .selectFrom('cases')
      .select('id')
      .where('person_id', '=', FIXTURE.personA1)
      .executeTakeFirstOrThrow();
    await w.call('POST', `/cases/${caseRow.id}/death`, 'cmdA', { reason: '基础疾病加重，抢救无效' }, 204);
    ctx.clock.set(atLocalTime('2022-04-15', 0, 30, TZ));
    const b = (await publicGet('/bulletin/2022-04-14')).json<Bulletin>();
    expect(b.totals.deaths).toBe(1);
    expect(b.districts[0].deaths).toBe(1);
  });

  it('is an Atom feed in Chinese and English', async () => {
    const zh = await publicGet('/bulletin/feed.atom');
    expect(zh.statusCode).toBe(200);
    expect(zh.headers['content-type']).toContain('application/atom+xml');
    expect(zh.body).toContain('<id>urn:cordon:bulletin:2022-04-13</id>');
    expect(zh.body).toContain('上海市 2022-04-13 疫情通报');
    expect(zh.body).toContain('贵州路1弄');
    const en = await publicGet('/bulletin/feed.atom?lang=en');
    expect(en.body).toContain('Shanghai bulletin for 2022-04-13');
    expect(en.body).toContain('xml:lang="en"');
    // Newest first: the 14th (issued on request above) before the 13th.
    expect(en.body.indexOf('2022-04-14')).toBeLessThan(en.body.indexOf('urn:cordon:bulletin:2022-04-13'));
  });
});
