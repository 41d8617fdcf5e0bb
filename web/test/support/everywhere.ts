/**
 * One page state checked the way issue 14 asks of every state: axe-core (0 violations) on a
 * phone (390×844) and a desktop (1440×900), each in the light and the dark colour scheme; no
 * sideways scrolling at those sizes nor at 320 px; and a screenshot of each.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { DESKTOP, NARROW, PHONE, screenshot, scrollsSideways } from './browser.ts';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeResults {
  violations: { id: string; help: string; nodes: { target: string[] }[] }[];
  passes: unknown[];
}

/**
 * axe-core's violations on the page as it is now, one line each. The script goes in through
 * the DevTools protocol (page.evaluate), which the pages' Content-Security-Policy does not cover,
 * so the policy stays as strict as in production.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(axeSource);
  const results = (await page.evaluate(
    'window.axe.run(document, { resultTypes: ["violations"] })',
  )) as AxeResults;
  // No passes at all would mean axe looked at nothing: an empty violation list proves nothing.
  if (results.passes.length === 0) throw new Error('axe-core checked nothing on this page');
  return results.violations.map(
    (violation) =>
      `${violation.id} (${violation.help}): ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
  );
}

/** What went wrong where, gathered over a test and asserted empty at its end. */
export interface Findings {
  accessibility: string[];
  overflow: string[];
}

export const noFindings = (): Findings => ({ accessibility: [], overflow: [] });

/**
 * Checks the page's current state at every size and scheme, then puts it back as it was (the
 * size it had, the light scheme). `name` names the screenshots: `<name>-<size>-<scheme>.png`.
 */
export async function checkEverywhere(page: Page, name: string, findings: Findings): Promise<void> {
  const original = page.viewportSize() ?? DESKTOP;
  for (const [size, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    await page.setViewportSize(viewport);
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      const where = `${name} (${size}, ${colorScheme})`;
      for (const line of await axeViolations(page))
        findings.accessibility.push(`${where}: ${line}`);
      await screenshot(page, `${name}-${size}-${colorScheme}`);
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await noOverflow(page, `${name} (${size})`, findings);
  }
  await page.setViewportSize(NARROW);
  await noOverflow(page, `${name} (320 px)`, findings);
  await page.setViewportSize(original);
}

async function noOverflow(page: Page, where: string, findings: Findings): Promise<void> {
  const { scrollWidth, width } = await scrollsSideways(page);
  if (scrollWidth <= width) return;
  findings.overflow.push(`${where}: ${scrollWidth} > ${width}, ${await widest(page)}`);
}

/** The outermost elements that reach past the right edge: where to look when a page overflows. */
async function widest(page: Page): Promise<string> {
  return (await page.evaluate(`(() => {
    const edge = document.documentElement.clientWidth;
    const out = [...document.querySelectorAll('main *')].filter((element) => {
      if (element.getBoundingClientRect().right <= edge + 1) return false;
      const parent = element.parentElement;
      return !parent || parent.getBoundingClientRect().right <= edge + 1;
    });
    return out.slice(0, 3).map((element) =>
      element.tagName.toLowerCase() + '.' + [...element.classList].join('.') + ' ' +
      Math.round(element.getBoundingClientRect().right)).join('; ');
  })()`)) as string;
}
