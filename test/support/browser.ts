import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/**
 * Browser tests drive Debian's Chromium through playwright-core (never `playwright install`,
 * which downloads a browser). Where Chromium is missing: in CI (CI=true) that is a failure — the
 * suite must not go green without its browser tests — and on a newcomer's machine the browser
 * tests skip and say why.
 */
export const CHROMIUM_PATH = process.env.CORDON_CHROMIUM ?? '/usr/bin/chromium';

/** The flags of ../../../shared/ENVIRONMENT.md; the fresh --user-data-dir is the persistent context's directory. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const ARTIFACTS_DIR = path.resolve(
  path.dirname(new URL(import.meta.url).pathname),
  '../../test-artifacts',
);

export interface ChromiumCheck {
  available: boolean;
  reason: string;
}

/**
 * Whether the browser tests can run here. Throws under CI=true when Chromium is missing, so the
 * test file fails at collection instead of skipping. Call at module level: `describe.skipIf`.
 */
export function checkChromium(): ChromiumCheck {
  if (fs.existsSync(CHROMIUM_PATH)) return { available: true, reason: '' };
  const reason = `Chromium not found at ${CHROMIUM_PATH} (install it: apt-get install -y chromium, or set CORDON_CHROMIUM)`;
  if (process.env.CI === 'true') throw new Error(`CI=true and the browser tests cannot run: ${reason}`);
  console.warn(`[browser tests skipped] ${reason}`);
  return { available: false, reason };
}

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/**
 * Launches Chromium with a fresh profile (a persistent context on a new temporary
 * --user-data-dir: Playwright manages that flag itself and refuses it among the args) and a
 * 16:9 viewport the size of a command-room screen.
 */
export async function launchBrowser(
  options: { width?: number; height?: number; locale?: string } = {},
): Promise<TestBrowser> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cordon-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: options.width ?? 1920, height: options.height ?? 1080 },
    locale: options.locale ?? 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Saves a full-page screenshot under test-artifacts/ and returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}
