import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const screenshotDir = path.resolve(import.meta.dirname, '../../../test-results/screenshots');

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/**
 * Debian's Chromium, headless. Playwright's own browser download cannot work here (no network
 * but the package registries), so a missing Chromium fails the run with what to install.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `no browser at ${CHROMIUM}: the end-to-end tests need Debian's Chromium (apt-get install chromium)`,
    );
  }
  await mkdir(screenshotDir, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Problems a page reported: uncaught errors and Content-Security-Policy violations. */
export interface PageProblems {
  list: string[];
}

/** A page in a context of its own (its own localStorage, so its own voter id). */
export async function openPage(
  browser: Browser,
  viewport: { width: number; height: number },
  problems: PageProblems,
): Promise<Page> {
  const context = await browser.newContext({
    viewport,
    deviceScaleFactor: viewport.width < 500 ? 2 : 1,
    isMobile: viewport.width < 500,
    hasTouch: viewport.width < 500,
  });
  const page = await context.newPage();
  watch(page, problems);
  return page;
}

export function watch(page: Page, problems: PageProblems): void {
  page.on('pageerror', (error) => problems.list.push(`${page.url()}: ${error.message}`));
  page.on('console', (message) => {
    const text = message.text();
    // Refused votes (409) and the like are logged by Chromium as failed loads: expected.
    if (message.type() === 'error' && !text.startsWith('Failed to load resource')) {
      problems.list.push(`${page.url()}: ${text}`);
    }
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

/** Whether the page can be scrolled sideways (it must not be, on a phone). */
export async function scrollsSideways(page: Page): Promise<{ scrollWidth: number; width: number }> {
  return (await page.evaluate(
    '({ scrollWidth: document.documentElement.scrollWidth, width: window.innerWidth })',
  )) as { scrollWidth: number; width: number };
}
