// Headless Chromium for the viewer's browser tests: found as users have it (LOOKOUT_CHROMIUM,
// CHROME_PATH, or chromium / chromium-browser / google-chrome on PATH), driven by
// playwright-core, with the page's console errors and bytes loaded recorded, and screenshots
// saved to test/artifacts/ (and to docs/images/ when LOOKOUT_UPDATE_DOCS_IMAGES=1, which is how
// the pictures in docs/dev.md are made).
import { copyFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { findChromium } from '../../scripts/lib/find-chromium.mjs';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
const DOCS_IMAGES = fileURLToPath(new URL('../../docs/images/', import.meta.url));

/** Starts Chromium; no browser is a failure with the fix in its message, never a skip. */
export async function launchViewerBrowser(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const found = findChromium();
  if (!found.found) throw new Error(`the viewer's browser tests need Chromium: ${found.reason}`);
  return chromium.launch({
    executablePath: found.path,
    // Loopback only: no background connections to the browser vendor's services.
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface ViewerPage {
  readonly page: Page;
  /** Bytes of everything the page loaded but the event stream, once the loads finished. */
  bytes(): Promise<number>;
  /** Console errors, Content-Security-Policy refusals included, and uncaught page errors. */
  readonly errors: string[];
}

/** Opens `url` in a new 1280 × 900 page. */
export async function openViewerPage(browser: Browser, url: string): Promise<ViewerPage> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  let total = 0;
  const pending: Promise<void>[] = [];
  page.on('response', (response) => {
    // The event stream never ends; everything else the page loads is counted.
    if (response.url().endsWith('/api/events')) return;
    pending.push(
      response.body().then(
        (body) => {
          total += body.length;
        },
        () => undefined,
      ),
    );
  });
  await page.goto(url);
  return {
    page,
    bytes: async () => {
      await Promise.all(pending);
      return total;
    },
    errors,
  };
}

/** Saves a full-page screenshot as test/artifacts/<name> (and docs/images/<name> when asked). */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  const path = `${ARTIFACTS}${name}`;
  await page.screenshot({ path, fullPage: true });
  if (process.env.LOOKOUT_UPDATE_DOCS_IMAGES === '1') copyFileSync(path, `${DOCS_IMAGES}${name}`);
}
