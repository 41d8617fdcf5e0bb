/**
 * The presenter view and joining by code (issue 14, item 2): a round created in the page is
 * presented on a 1920×1080 projector (and a 1280×720 one, and a phone); its join code, read off
 * the screen, is typed into the home page by a second browser, which lands on the ballot and
 * votes, and the presenter's live results show it without a reload. `/j/<code>` redirects in any
 * case; a code that leads nowhere gets a page that says so. A round hiding its results until
 * close shows no figures on the presenter view either. axe-core on each state, light and dark.
 * Called by e2e.test.ts with its browser and system.
 */
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import {
  castByApi,
  closeByApi,
  createRound,
  HOSTILE_LABELS,
  HOSTILE_NAME,
} from './e2e-support-api.ts';
import { PHONE, screenshot } from './support/browser.ts';
import { checkEverywhere, noFindings } from './support/everywhere.ts';
import type { RunningSystem } from './support/system.ts';

export interface Session {
  system(): RunningSystem;
  open(viewport: { width: number; height: number }, url?: string): Promise<Page>;
}

const PROJECTOR = { width: 1920, height: 1080 };
const SMALL_PROJECTOR = { width: 1280, height: 720 };

/** The code as the presenter view shows it, in big letters (two halves, no space when read). */
const shownCode = async (page: Page) =>
  ((await page.locator('.join-code').textContent()) ?? '').replace(/\s/g, '');

/** Whether the element lies wholly inside the viewport (seen on the projector without scrolling). */
const inView = async (page: Page, selector: string) => {
  const box = await page.locator(selector).first().boundingBox();
  const viewport = page.viewportSize();
  return (
    box !== null &&
    viewport !== null &&
    box.y >= 0 &&
    box.x >= 0 &&
    box.y + box.height <= viewport.height &&
    box.x + box.width <= viewport.width
  );
};

/** A code of the right shape that no round holds. */
async function unusedCode(system: RunningSystem): Promise<string> {
  const alphabet = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
  for (;;) {
    const code = Array.from({ length: 6 }, () => alphabet[Math.floor(Math.random() * 30)]).join('');
    const { rowCount } = await system.db.pool.query('SELECT 1 FROM rounds WHERE join_code = $1', [
      code,
    ]);
    if (rowCount === 0) return code;
  }
}

export function presenterTests({ system, open }: Session): void {
  it('presents a round on a projector, joined by its code from a second browser, live', async () => {
    const base = system().voteUrl;
    const findings = noFindings();

    // Created in the page, then "Present on a screen" from the created view.
    const presenter = await open(PROJECTOR, `${base}/new`);
    await presenter.getByLabel('Question or name').fill('Where should the team offsite go?');
    await presenter.getByLabel('Option 1', { exact: true }).fill('Lisbon');
    await presenter.getByLabel('Option 2', { exact: true }).fill('Kraków');
    await presenter.getByRole('button', { name: '+ Add an option' }).click();
    await presenter.getByLabel('Option 3', { exact: true }).fill('Tallinn');
    await presenter.getByRole('button', { name: 'Create the round' }).click();
    await presenter.getByRole('heading', { name: /is open for votes/ }).waitFor();
    const voteLink = await presenter.getByRole('textbox', { name: 'Voting link' }).inputValue();
    const roundId = voteLink.split('/').at(-1) ?? '';
    await presenter.getByRole('link', { name: 'Present on a screen' }).click();
    await presenter.waitForURL(`${base}/r/${roundId}/present`);
    await presenter.locator('.join-code').waitFor();
    await presenter.getByText('No ballots yet.').waitFor();

    // What the room reads: the question, the code in big letters, the address with it, the QR
    // code of the voting link; all of it on the screen at once.
    const code = await shownCode(presenter);
    expect(code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTVWXYZ]{6}$/);
    const stored = await system().db.pool.query(
      'SELECT join_code FROM rounds WHERE round_id = $1',
      [roundId],
    );
    expect(stored.rows[0]?.join_code).toBe(code);
    expect(await presenter.locator('.join-url').textContent()).toBe(
      `${base.replace(/^http:\/\//, '')}/j/${code}`,
    );
    expect(await presenter.locator('.join-url a').getAttribute('href')).toBe(`${base}/j/${code}`);
    expect(await presenter.locator('.presenter-join svg.qr').getAttribute('aria-label')).toBe(
      'QR code of the voting link',
    );
    expect(await presenter.locator('h1').textContent()).toBe('Where should the team offsite go?');
    for (const part of ['h1', '.join-code', '.join-url', '.presenter-join svg.qr', '.bar-row'])
      expect(await inView(presenter, part), part).toBe(true);
    // Large enough to read from the back of a room.
    const size = (selector: string) =>
      presenter.evaluate(
        `parseFloat(getComputedStyle(document.querySelector(${JSON.stringify(selector)})).fontSize)`,
      );
    expect(await size('.join-code')).toBeGreaterThanOrEqual(100);
    expect(await size('h1')).toBeGreaterThanOrEqual(56);
    expect(await size('.bar-label')).toBeGreaterThanOrEqual(24);
    await presenter.evaluate('window.__sameDocument = true');
    await screenshot(presenter, 'present-1920-light');
    await presenter.emulateMedia({ colorScheme: 'dark' });
    await screenshot(presenter, 'present-1920-dark');
    await presenter.emulateMedia({ colorScheme: 'light' });

    // A second browser, on a phone, types the code into the home page (in lower case, with a
    // dash) and lands on the ballot.
    const voter = await open(PHONE, `${base}/`);
    const field = voter.getByLabel('Join with a code');
    expect(await field.getAttribute('autocapitalize')).toBe('characters');
    expect(await field.getAttribute('inputmode')).toBe('text');
    await field.fill(`${code.slice(0, 3).toLowerCase()}-${code.slice(3).toLowerCase()}`);
    await voter.getByRole('button', { name: 'Join', exact: true }).click();
    await voter.waitForURL(`${base}/r/${roundId}`);
    await voter.getByLabel('Kraków').check();
    await voter.getByRole('button', { name: 'Cast my vote' }).click();
    await voter.getByText('Thank you, your vote is in.').waitFor();

    // The presenter's results move without a reload.
    await presenter.locator('.total-ballots', { hasText: '1 ballot' }).waitFor();
    expect(await presenter.locator('.headline').textContent()).toBe('Leading: Kraków');
    expect(await presenter.evaluate('window.__sameDocument')).toBe(true);
    await castByApi(base, roundId, 'present-2', { option_id: 1 });
    await castByApi(base, roundId, 'present-3', { option_id: 2 });
    await presenter.locator('.total-ballots', { hasText: '3 ballots' }).waitFor();
    await screenshot(presenter, 'present-1920-votes-light');
    await presenter.emulateMedia({ colorScheme: 'dark' });
    await screenshot(presenter, 'present-1920-votes-dark');
    await presenter.emulateMedia({ colorScheme: 'light' });
    await presenter.setViewportSize(SMALL_PROJECTOR);
    await screenshot(presenter, 'present-1280-light');
    for (const part of ['h1', '.join-code', '.join-url', '.presenter-join svg.qr'])
      expect(await inView(presenter, part), `${part} at 1280×720`).toBe(true);
    await presenter.setViewportSize(PHONE);
    await screenshot(presenter, 'present-phone-light');
    await presenter.emulateMedia({ colorScheme: 'dark' });
    await screenshot(presenter, 'present-phone-dark');
    await presenter.emulateMedia({ colorScheme: 'light' });
    await presenter.setViewportSize(PROJECTOR);

    // Full screen, and back: the site's header goes, the toggle says it is pressed.
    const toggle = presenter.getByRole('button', { name: 'Full screen' });
    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-pressed')).toBe('true');
    expect(await presenter.locator('header.site').isVisible()).toBe(false);
    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-pressed')).toBe('false');
    expect(await presenter.locator('header.site').isVisible()).toBe(true);

    await checkEverywhere(presenter, 'present', findings);

    // The address typed into a browser, in lower case: redirected to the ballot.
    const typed = await open(PHONE, `${base}/j/${code.toLowerCase()}`);
    expect(typed.url()).toBe(`${base}/r/${roundId}`);
    await typed.getByRole('button', { name: 'Cast my vote' }).waitFor();

    // A code that leads nowhere: a page that says so, with the field to try again.
    const unknown = await unusedCode(system());
    const nowhere = await open(PHONE);
    const answer = await nowhere.goto(`${base}/j/${unknown}`);
    expect(answer?.status()).toBe(404);
    await nowhere.getByRole('heading', { name: 'No round has this code' }).waitFor();
    const retry = nowhere.getByLabel('Join with a code');
    expect(await retry.inputValue()).toBe(unknown);
    expect(await retry.getAttribute('aria-invalid')).toBe('true');
    expect(await nowhere.locator('#join-code-error').textContent()).toContain(
      `No round has the code ${unknown.slice(0, 3)} ${unknown.slice(3)}.`,
    );
    await checkEverywhere(nowhere, 'join-unknown', findings);
    // Typed again right, from there: the ballot.
    await retry.fill(code);
    await nowhere.getByRole('button', { name: 'Join', exact: true }).click();
    await nowhere.waitForURL(`${base}/r/${roundId}`);

    // The home page's field with its errors: not a code at all, then a code of no round.
    const home = await open(PHONE, `${base}/`);
    const homeField = home.getByLabel('Join with a code');
    const requests: string[] = [];
    home.on('request', (request) => requests.push(new URL(request.url()).pathname));
    await homeField.fill('K7M-Q2O');
    await homeField.press('Enter');
    await home.locator('#join-code-error').waitFor();
    expect(await home.locator('#join-code-error').textContent()).toContain(
      'That is not a join code',
    );
    expect(requests.filter((path) => path.startsWith('/join/'))).toEqual([]);
    expect(await homeField.getAttribute('aria-describedby')).toContain('join-code-error');
    expect(await home.evaluate('document.activeElement.id')).toBe('join-code');
    await checkEverywhere(home, 'home-join-malformed', findings);
    await homeField.fill(unknown.toLowerCase());
    await home.getByRole('button', { name: 'Join', exact: true }).click();
    await home.locator('#join-code-error', { hasText: 'No round has the code' }).waitFor();
    await checkEverywhere(home, 'home-join-unknown', findings);

    expect(findings.overflow).toEqual([]);
    expect(findings.accessibility).toEqual([]);
  }, 240_000);

  it('keeps hidden results hidden on the presenter view until the round closes', async () => {
    const base = system().voteUrl;
    const findings = noFindings();
    const round = await createRound(base, {
      name: HOSTILE_NAME,
      options: ['Yes', 'No'],
      results: 'after_close',
    });
    await castByApi(base, round.round_id, 'hidden-1', { option_id: 1 });
    await castByApi(base, round.round_id, 'hidden-2', { option_id: 1 });
    // The organizer's own browser holds the admin token: the projector still shows no figures.
    const page = await open(
      PROJECTOR,
      `${base}/r/${round.round_id}/manage#token=${round.admin_token}`,
    );
    await page.getByRole('heading', { name: 'Downloads' }).waitFor();
    await page.getByRole('link', { name: 'Present on a screen' }).click();
    await page.getByText('The results are hidden until the round closes.').waitFor();
    await page.locator('.join-code').waitFor();
    expect(await page.locator('.bar-row').count()).toBe(0);
    expect(await page.locator('.total-ballots').count()).toBe(0);
    expect(await page.locator('main').textContent()).not.toMatch(/\b2\b|ballot|100/);
    await checkEverywhere(page, 'present-hidden', findings);

    await closeByApi(base, round);
    await page.locator('.total-ballots', { hasText: '2 ballots' }).waitFor();
    // Closed: nothing left to join, and the results take the screen.
    expect(await page.locator('.presenter-join').isVisible()).toBe(false);
    await page.locator('.badge-final').waitFor();
    await screenshot(page, 'present-final-1920-light');
    expect(findings.overflow).toEqual([]);
    expect(findings.accessibility).toEqual([]);
  }, 120_000);

  it('fits a ranked round with hostile labels, its round-by-round table too, from 320 px to a projector', async () => {
    const base = system().voteUrl;
    const findings = noFindings();
    const round = await createRound(base, {
      name: HOSTILE_NAME,
      options: HOSTILE_LABELS,
      method: 'ranked',
    });
    for (const [index, ranking] of [[1], [2, 1], [3, 2], [4], [5, 1]].entries())
      await castByApi(base, round.round_id, `ranked-${index}`, { ranking });
    const page = await open(PROJECTOR, `${base}/r/${round.round_id}/present`);
    await page.locator('.irv-table').waitFor();
    await page.locator('.join-code').waitFor();
    await screenshot(page, 'present-ranked-1920-light');
    await checkEverywhere(page, 'present-ranked', findings);
    expect(findings.overflow).toEqual([]);
    expect(findings.accessibility).toEqual([]);
  }, 120_000);
}
