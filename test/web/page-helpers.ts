import type { Page } from 'playwright-core';

/** The big number of a Figure (panels/Panel.tsx) by its test id. */
export async function figureValue(page: Page, testId: string): Promise<string> {
  return ((await page.getByTestId(testId).locator('.figure-value').textContent()) ?? '').trim();
}

/**
 * Polls until `read` returns `expected` (playwright-core has no auto-retrying expect); returns
 * the milliseconds it took, or throws with the last value seen.
 */
export async function waitForValue<T>(
  read: () => Promise<T>,
  expected: T,
  timeoutMs = 5000,
): Promise<number> {
  const started = Date.now();
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (last === expected) return Date.now() - started;
    if (Date.now() - started > timeoutMs) {
      throw new Error(`expected ${String(expected)} within ${timeoutMs} ms, last saw ${String(last)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export async function logIn(
  page: Page,
  baseUrl: string,
  user: { username: string; password: string },
): Promise<void> {
  await page.goto(baseUrl);
  await page.locator('input[name=username]').fill(user.username);
  await page.locator('input[name=password]').fill(user.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('dashboard').waitFor();
  await page.getByTestId('key-figures').waitFor();
}

/**
 * Clicks a region's shape on the ECharts map as a user would: the map is one canvas, so this
 * sweeps the pointer over it until the tooltip names the region, then clicks there.
 */
export async function clickRegionOnMap(page: Page, regionName: string, step = 32): Promise<void> {
  const canvas = page.getByTestId('region-map').locator('canvas').first();
  const box = await canvas.boundingBox();
  if (!box) throw new Error('the map is not on screen');
  const tooltip = page.locator('.cordon-tooltip');
  for (let y = box.y + step / 2; y < box.y + box.height; y += step) {
    for (let x = box.x + step / 2; x < box.x + box.width; x += step) {
      await page.mouse.move(x, y);
      const shown = await tooltip.evaluateAll((els) =>
        els.map((e) => (e as HTMLElement).innerText).join('\n'),
      );
      if (shown.split('\n')[0]?.trim() === regionName) {
        await page.mouse.click(x, y);
        return;
      }
    }
  }
  throw new Error(`no shape named ${regionName} found on the map`);
}
