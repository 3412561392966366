import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../src/app/server-runtime.ts';
import { ensureWebBuilt } from '../../src/app/web/build.ts';
import { checkChromium, launchBrowser, saveScreenshot, type TestBrowser } from '../support/browser.ts';
import { openTestContext, type TestContext } from '../support/harness.ts';
import { ADMIN, loadDashboardCity, type CityFacts } from './city-fixture.ts';
import { logIn, waitForValue } from './page-helpers.ts';
import { LAB_USER, loadWorkWeek, type WorkFacts } from './work-fixture.ts';

const chromium = checkChromium();

/**
 * The work screens end to end, on a week of the tiny city (work-fixture.ts) served by the real
 * server: the command picture with a case in it, an alert acknowledged, a zone step-down
 * approved, the street's work list and the transfer board, the public bulletin without a login,
 * and a lab's CSV upload. Each step checks the database, not only the page.
 */
describe.skipIf(!chromium.available)('work screens in Chromium', () => {
  let ctx: TestContext;
  let server: RunningServer;
  let browser: TestBrowser;
  let page: Page;
  let city: CityFacts;
  let week: WorkFacts;
  const text = async (testId: string) => ((await page.getByTestId(testId).textContent()) ?? '').trim();

  beforeAll(async () => {
    await ensureWebBuilt();
    ctx = await openTestContext('sqlite');
    city = await loadDashboardCity(ctx);
    server = await startServer(ctx, { host: '127.0.0.1', port: 0, ruleClockMs: 60_000 });
    week = await loadWorkWeek(ctx, server.url, city.district);
    browser = await launchBrowser();
    page = browser.page;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await ctx?.close();
  });

  it('shows the week on the command picture: the case in the trend and days since it', async () => {
    await logIn(page, server.url, ADMIN);
    await page.getByTestId('panel-clearing').waitFor();
    const badge = page.getByTestId(`clearing-${city.district.id}`);
    await badge.waitFor();
    // Sampled on the case day; through yesterday that is seven whole days without one.
    const row = await page.getByTestId('panel-clearing').locator('tr', { has: badge }).textContent();
    expect(row).toContain('7 天');
    await saveScreenshot(page, 'work-overview-city');
    await page.getByTestId(`child-${city.district.id}`).click();
    await waitForValue(() => text('current-region'), city.district.name);
    await page.getByTestId('region-map').locator('canvas').first().waitFor();
    await saveScreenshot(page, 'work-district');
  });

  it('acknowledges the community-case alert on the alerts screen', async () => {
    await page.getByTestId('nav-alerts').click();
    await page.getByTestId('alerts-screen').waitFor();
    const row = page.locator('[data-testid^="alert-row-"]', { hasText: '发现社会面病例' }).first();
    await row.waitFor();
    const id = Number((await row.getAttribute('data-testid'))!.replace('alert-row-', ''));
    await saveScreenshot(page, 'alerts-screen');
    await row.getByTestId('alert-acknowledge').click();
    await page.getByTestId(`alert-row-${id}`).waitFor({ state: 'detached' });
    await page.getByTestId('alerts-state-acknowledged').click();
    await page.getByTestId(`alert-row-${id}`).waitFor();
    const alert = await ctx.store.db
      .selectFrom('alerts')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(alert.rule).toBe('command.community_case');
    expect(alert.acknowledged_at).not.toBeNull();
    expect(alert.owner_user_id).not.toBeNull();
  });

  it('approves a zone step-down with a reason', async () => {
    await page.getByTestId('nav-zones').click();
    const row = page.getByTestId(`proposal-${week.proposalId}`);
    await row.waitFor();
    expect(await row.textContent()).toContain(week.compoundName);
    await saveScreenshot(page, 'zones-screen');
    await row.getByTestId('proposal-reason').fill('连续7天无新增阳性，同意降级');
    await row.getByTestId('proposal-approve').click();
    await row.waitFor({ state: 'detached' });
    const proposal = await ctx.store.db
      .selectFrom('zone_proposals')
      .selectAll()
      .where('id', '=', week.proposalId)
      .executeTakeFirstOrThrow();
    expect(proposal).toMatchObject({ status: 'approved', decision_reason: '连续7天无新增阳性，同意降级' });
    await page.getByTestId('proposals-approved').click();
    await page.getByTestId(`proposal-${week.proposalId}`).waitFor();
  });

  it("shows the street's work list and the transfer board, people masked", async () => {
    const order = await ctx.store.db
      .selectFrom('transfer_orders')
      .select(['id', 'status'])
      .where('district_id', '=', city.district.id)
      .where('kind', '=', 'case')
      .executeTakeFirstOrThrow();
    expect(order.status).toBe('waiting');
    const holds = await ctx.store.db
      .selectFrom('test_orders')
      .select('id')
      .where('reason', '=', 'pool_retest')
      .where('status', '=', 'open')
      .execute();
    expect(holds.length).toBeGreaterThan(0);
    expect(week.overduePersonIds.length).toBeGreaterThan(0);

    await page.getByTestId('nav-work').click();
    await page.getByTestId('work-screen').waitFor();
    // Each of the three lists holds what the API has: 应检未检, waiting transfers, pool holds.
    for (const id of week.overduePersonIds) await page.getByTestId(`overdue-${id}`).waitFor();
    await page.getByTestId(`waiting-${order.id}`).waitFor();
    for (const hold of holds) await page.getByTestId(`hold-${hold.id}`).waitFor();
    expect(await page.getByTestId(`overdue-${week.overduePersonIds[0]}`).textContent()).toContain('*');
    await saveScreenshot(page, 'work-list');

    await page.getByTestId('nav-transfers').click();
    await page.getByTestId('transfer-board').waitFor();
    const card = page.getByTestId(`transfer-${order.id}`);
    await card.waitFor();
    const shown = (await card.textContent()) ?? '';
    const person = await ctx.store.db
      .selectFrom('transfer_orders as o')
      .innerJoin('people as p', 'p.id', 'o.person_id')
      .select('p.name')
      .where('o.id', '=', order.id)
      .executeTakeFirstOrThrow();
    expect(shown).toContain('*');
    expect(shown).not.toContain(person.name!);
    // Command confirms the proposed bed: the order moves to the next column.
    await card.getByTestId(`transfer-action-${order.id}`).click();
    await page.getByTestId('column-allocated').getByTestId(`transfer-${order.id}`).waitFor();
    const allocated = await ctx.store.db
      .selectFrom('transfer_orders')
      .select(['status', 'facility_id'])
      .where('id', '=', order.id)
      .executeTakeFirstOrThrow();
    expect(allocated.status).toBe('allocated');
    expect(allocated.facility_id).not.toBeNull();
    await saveScreenshot(page, 'transfer-board');
  });

  it('opens the daily bulletin without a login', async () => {
    await page.getByTestId('logout').click();
    await page.goto(`${server.url}/bulletin?day=${week.caseDay}`);
    await page.getByTestId('bulletin-table').waitFor();
    expect(await page.getByTestId('login-form').count()).toBe(0);
    const row = await text(`bulletin-district-${city.district.id}`);
    expect(row).toContain(city.district.name);
    expect(await text('bulletin-summary')).toContain('新增本土阳性感染者 1 例');
    expect(await text('bulletin-places')).toContain(week.compoundName);
    await saveScreenshot(page, 'bulletin');
    await page.getByTestId('lang-switch').click();
    await waitForValue(
      async () => (await text('bulletin-summary')).startsWith('1 new local positives'),
      true,
    );
    await page.getByTestId('lang-switch').click();
  });

  it("uploads a lab's results as CSV: a bad line is named, the good file is recorded", async () => {
    await page.goto(server.url);
    await page.locator('input[name=username]').fill(LAB_USER.username);
    await page.locator('input[name=password]').fill(LAB_USER.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('lab-screen').waitFor();
    await page.getByTestId('lab-text').fill(`tube_code,outcome,ct_orf1ab,ct_n\n${week.tubeCode},maybe,,\n`);
    await page.getByTestId('lab-send').click();
    await page.getByTestId('lab-failure').waitFor();
    expect(await text('lab-failure')).toContain('第 2 行');
    await page.getByTestId('lab-file').setInputFiles({
      name: 'results.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`tube_code,outcome,ct_orf1ab,ct_n\n${week.tubeCode},阴性,,\n`),
    });
    await page.getByTestId('lab-send').click();
    await page.getByTestId('lab-summary').waitFor();
    expect(await page.getByTestId('lab-resulted').locator('.figure-value').textContent()).toBe('1');
    const tube = await ctx.store.db
      .selectFrom('tubes')
      .selectAll()
      .where('barcode', '=', week.tubeCode)
      .executeTakeFirstOrThrow();
    expect(tube).toMatchObject({ state: 'resulted', result: 'negative' });
    await saveScreenshot(page, 'lab-upload');
  });
});
