import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { tick } from '../../src/app/kernel/rule-runner.ts';
import { startServer, type RunningServer } from '../../src/app/server-runtime.ts';
import { ensureWebBuilt } from '../../src/app/web/build.ts';
import { checkChromium, launchBrowser, saveScreenshot, type TestBrowser } from '../support/browser.ts';
import { openTestContext, type TestContext } from '../support/harness.ts';
import { ADMIN, DISTRICT_USER, HOUR, loadDashboardCity, type CityFacts } from './city-fixture.ts';
import { clickRegionOnMap, figureValue, logIn, waitForValue } from './page-helpers.ts';

const chromium = checkChromium();

/**
 * The command picture end to end: the real server (port 0) on the test city, the built page,
 * Chromium logging in through the form. One page walks through the steps in order, as a duty
 * officer would; each step leaves the page where the next expects it.
 */
describe.skipIf(!chromium.available)('command picture in Chromium', () => {
  let ctx: TestContext;
  let server: RunningServer;
  let browser: TestBrowser;
  let page: Page;
  let facts: CityFacts;
  const n = (value: number) => new Intl.NumberFormat('zh-CN').format(value);
  const text = async (testId: string) => ((await page.getByTestId(testId).textContent()) ?? '').trim();

  beforeAll(async () => {
    // Built once here (seconds), outside every other test's path; skipped when already current.
    await ensureWebBuilt();
    ctx = await openTestContext('sqlite');
    facts = await loadDashboardCity(ctx);
    server = await startServer(ctx, { host: '127.0.0.1', port: 0 });
    browser = await launchBrowser();
    page = browser.page;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await ctx?.close();
  });

  it('logs in through the form (in Chinese) and shows the city filled from the server', async () => {
    await page.goto(server.url);
    expect(await page.locator('.login h1').textContent()).toBe('疫情防控指挥平台');
    await logIn(page, server.url, ADMIN);
    await waitForValue(() => figureValue(page, 'figure-population'), n(facts.city.population));
    expect(await figureValue(page, 'figure-people')).toBe(n(facts.cityPeople));
    expect(await figureValue(page, 'figure-under-control')).toBe('3');
    expect(await figureValue(page, 'figure-test-orders')).toBe('2');
    expect(await text('current-region')).toBe(facts.city.name);
    expect(await text('control-quarantine')).toContain('1');
    expect(await text('control-sealed_residence')).toContain('2');
    // Every capability's panel is filled from the server (the test city has no case yet).
    expect(await page.getByTestId('panel-cases').textContent()).not.toContain('暂无数据');
    expect(await page.getByTestId('panel-cases').textContent()).toContain('社会面');
    expect(await page.getByTestId('child-list').locator('button').count()).toBe(16);
    await page.getByTestId('region-map').locator('canvas').first().waitFor();
    await waitForValue(() => text('live-status'), '● 实时');
    await saveScreenshot(page, 'overview-city');
  });

  it('drills into a district and back', async () => {
    const { city, district } = facts;
    await page.getByTestId(`child-${district.id}`).click();
    await waitForValue(() => text('current-region'), district.name);
    expect(await figureValue(page, 'figure-population')).toBe(n(district.population));
    expect(await figureValue(page, 'figure-people')).toBe(n(facts.districtPeople));
    expect(await figureValue(page, 'figure-under-control')).toBe('2');
    const streets = await page.getByTestId('child-list').locator('button').allTextContents();
    expect(streets).toHaveLength(facts.streets.length);
    for (const street of facts.streets) expect(streets.join(' ')).toContain(street.name);
    expect(new URL(page.url()).searchParams.get('region')).toBe(String(district.id));
    await page.getByTestId('region-map').locator('canvas').first().waitFor();
    await saveScreenshot(page, 'district');
    await page.getByTestId('nav-back').click();
    await waitForValue(() => text('current-region'), city.name);
    // Clicking a district's shape on the map drills down too (the largest: easiest to hit).
    const largest = facts.districtsByArea[0];
    await clickRegionOnMap(page, largest.name);
    await waitForValue(() => text('current-region'), largest.name);
    await page.goBack();
    await waitForValue(() => text('current-region'), city.name);
  });

  it('updates live, without reloading, within a second of an API call', async () => {
    expect(await figureValue(page, 'figure-overdue')).toBe('0');
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    // An admin moves the deployment clock two hours on (PUT /api/v1/admin/clock): the order
    // due in one hour is now late, and the page hears `clock.set` and refetches.
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    const { token } = (await login.json()) as { token: string };
    const res = await fetch(`${server.url}/api/v1/admin/clock`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ now: ctx.clock.now() + 2 * HOUR }),
    });
    expect(res.status).toBe(200);
    const tookMs = await waitForValue(() => figureValue(page, 'figure-overdue'), '1', 1000);
    console.log(`live update reached the page in ${tookMs} ms`);
    // The monitoring clock reports the late order; its rule opens an alert, pushed to the page.
    await tick(ctx);
    await page.locator('[data-testid^="alert-"] >> text=检测任务逾期').first().waitFor({ timeout: 1000 });
    expect(await figureValue(page, 'figure-open-alerts')).toBe('1');
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
  });

  it('acknowledges and resolves an alert from the alerts panel', async () => {
    const row = page.locator('li.alert').first();
    await row.getByTestId('alert-acknowledge').click();
    await row.locator('.badge.acknowledged').waitFor();
    const alert = await ctx.store.db.selectFrom('alerts').selectAll().executeTakeFirstOrThrow();
    expect(alert.acknowledged_at).not.toBeNull();
    await row.getByTestId('alert-resolve').click();
    await row.getByTestId('alert-resolution').fill('已电话通知街道复核');
    await row.getByTestId('alert-resolve-confirm').click();
    await waitForValue(() => figureValue(page, 'figure-open-alerts'), '0');
    const resolved = await ctx.store.db
      .selectFrom('alerts')
      .selectAll()
      .where('id', '=', alert.id)
      .executeTakeFirstOrThrow();
    expect(resolved.resolution).toBe('已电话通知街道复核');
  });

  it('switches to English, remembers it across a reload, and back', async () => {
    await page.getByTestId('lang-switch').click();
    await waitForValue(() => text('current-region'), facts.city.nameEn);
    expect(await page.locator('.brand h1').textContent()).toBe('Cordon Outbreak Command');
    expect(await page.title()).toBe('Cordon Outbreak Command');
    expect(await page.getByTestId('panel-cases').textContent()).toContain('Community');
    await page.reload();
    await page.getByTestId('key-figures').waitFor();
    expect(await page.locator('.brand h1').textContent()).toBe('Cordon Outbreak Command');
    await saveScreenshot(page, 'overview-city-en');
    await page.getByTestId('lang-switch').click();
    await waitForValue(() => text('current-region'), facts.city.name);
    expect(await page.getByTestId('panel-cases').textContent()).toContain('社会面');
    expect(await page.title()).toBe('疫情防控指挥平台');
  });

  it("a district commander's page holds only that district", async () => {
    await page.getByTestId('logout').click();
    await logIn(page, server.url, DISTRICT_USER);
    await waitForValue(() => text('current-region'), facts.district.name);
    expect(await page.getByTestId('breadcrumbs').textContent()).not.toContain(facts.city.name);
    expect(await figureValue(page, 'figure-people')).toBe(n(facts.districtPeople));
    expect(await page.getByTestId('child-list').locator('button').count()).toBe(facts.streets.length);
    await page.goto(`${server.url}/?region=${facts.city.id}`);
    await page.getByTestId('overview-error').waitFor();
    expect(await page.getByTestId('overview-error').textContent()).toContain('管辖范围');
  });
});
