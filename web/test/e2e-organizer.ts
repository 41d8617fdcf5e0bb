/**
 * The organizer's and the voter's journey as issue 14 found it wanting: the created page starts
 * at its heading, a wrong admin token is refused before anything is saved, an untouched ranked
 * ballot is not a ballot, a voter who comes back sees (and may change) their ballot, result bars
 * move in place, a refusing API is named as such, links follow the address the page was opened
 * by, and a round may show each voter the options in an order of their own. Called by e2e.test.ts with its browser and system.
 */
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { castByApi, createRound } from './e2e-support-api.ts';
import { DESKTOP, LAN_HOST, PHONE, screenshot } from './support/browser.ts';
import type { RunningSystem } from './support/system.ts';

export interface Session {
  system(): RunningSystem;
  open(viewport: { width: number; height: number }, url?: string): Promise<Page>;
  /** A page whose console errors are expected (a CORS refusal logs one) and not counted. */
  openQuietly(viewport: { width: number; height: number }, url: string): Promise<Page>;
}

const inView = async (page: Page, selector: string) => {
  const box = await page.locator(selector).first().boundingBox();
  const viewport = page.viewportSize();
  return box !== null && viewport !== null && box.y >= 0 && box.y + box.height <= viewport.height;
};

export function organizerTests({ system, open, openQuietly }: Session): void {
  it('starts the created page at its heading and voting link, on a phone and a desktop', async () => {
    for (const [size, viewport] of [
      ['phone', PHONE],
      ['desktop', DESKTOP],
    ] as const) {
      const page = await open(viewport, `${system().voteUrl}/new`);
      await page.getByLabel('Question or name').fill('Picnic day');
      await page.getByLabel('Option 1', { exact: true }).fill('Saturday');
      await page.getByLabel('Option 2', { exact: true }).fill('Sunday');
      await page.getByRole('button', { name: 'Create the round' }).click();
      await page.getByRole('heading', { name: '“Picnic day” is open for votes' }).waitFor();
      expect(await page.evaluate('window.scrollY'), size).toBe(0);
      expect(await inView(page, 'h1'), size).toBe(true);
      expect(await inView(page, '.copy-field input'), size).toBe(true);
      await screenshot(page, `created-top-${size}`);
    }
  }, 45_000);

  it('refuses a wrong admin token on the manage page, in words, before saving or showing it', async () => {
    const base = system().voteUrl;
    const round = await createRound(base, { name: 'Board games', options: ['Go', 'Chess'] });
    const page = await open(PHONE, `${base}/r/${round.round_id}/manage#token=not-the-token`);
    const input = page.getByLabel('Admin link or token');
    await page.locator('#admin-token-error').waitFor();
    expect(await page.locator('#admin-token-error').textContent()).toContain(
      'That is not this round’s admin link',
    );
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    expect(await input.getAttribute('aria-describedby')).toContain('admin-token-error');
    expect(await page.locator('.badge-admin').count()).toBe(0);
    expect(await page.evaluate('localStorage.getItem("voting.admin")')).toBeNull();
    await screenshot(page, 'manage-wrong-token-phone');

    // The right one, pasted as the whole admin link, is checked and then kept.
    await input.fill(`${base}/r/${round.round_id}/manage#token=${round.admin_token}`);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Downloads' }).waitFor();
    expect(await page.locator('.badge-admin').count()).toBe(1);
    expect(await page.evaluate('localStorage.getItem("voting.admin")')).toContain(
      round.admin_token,
    );
  }, 30_000);

  it('sends no untouched ranked ballot, takes a partial one, and restores it for a revote', async () => {
    const base = system().voteUrl;
    const round = await createRound(base, {
      name: 'Weekend film',
      options: ['Alien', 'Brazil', 'Casablanca'],
      method: 'ranked',
      allow_revote: true,
    });
    const page = await open(PHONE, `${base}/r/${round.round_id}`);
    const ballotsSent: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/vote')
        ballotsSent.push(request.postData() ?? '');
    });
    await page.getByRole('button', { name: 'Cast my vote' }).click();
    await page.getByText('Rank at least one option first').waitFor();
    expect(ballotsSent).toEqual([]);
    expect(await page.locator('fieldset').first().getAttribute('aria-describedby')).toContain(
      'ballot-problem',
    );
    await screenshot(page, 'vote-ranked-untouched-phone');

    await page.getByRole('button', { name: 'Rank Brazil' }).click();
    await page.getByRole('button', { name: 'Cast my vote' }).click();
    await page.getByText('Thank you, your vote is in.').waitFor();
    const stored = () =>
      system().db.pool.query('SELECT choices FROM ballots WHERE round_id = $1', [round.round_id]);
    expect((await stored()).rows).toEqual([{ choices: [2] }]);

    // Back later: the ballot as cast, ready to change.
    await page.reload();
    await page.getByRole('heading', { name: 'You already voted in this round' }).waitFor();
    expect(await page.locator('.ranking .rank-label').allTextContents()).toEqual(['Brazil']);
    await page.getByRole('button', { name: 'Rank Alien' }).click();
    await screenshot(page, 'vote-revote-phone');
    await page.getByRole('button', { name: 'Change my vote' }).click();
    await page.getByText('Your vote was changed.').waitFor();
    expect((await stored()).rows).toEqual([{ choices: [2, 1] }]);
  }, 30_000);

  it('moves result bars in place as shares of all ballots, and keeps still for reduced motion', async () => {
    const base = system().voteUrl;
    const round = await createRound(base, {
      name: 'Office plant',
      options: ['Fern', 'Cactus', 'Ivy'],
    });
    await castByApi(base, round.round_id, 'm1', { option_id: 1 });
    const watch = async (reducedMotion: 'reduce' | 'no-preference') => {
      const page = await open(DESKTOP);
      await page.emulateMedia({ reducedMotion });
      await page.goto(`${base}/r/${round.round_id}/results`);
      await page.locator('.bar-row').first().waitFor();
      // Marks the row elements and counts the animations started from now on.
      await page.evaluate(`
        for (const row of document.querySelectorAll('.bar-row')) row.dataset.mark = 'first';
        window.__moves = 0;
        const animate = Element.prototype.animate;
        Element.prototype.animate = function (...args) { window.__moves++; return animate.apply(this, args); };
      `);
      return page;
    };
    const moving = await watch('no-preference');
    const still = await watch('reduce');
    await castByApi(base, round.round_id, 'm2', { option_id: 2 });
    await castByApi(base, round.round_id, 'm3', { option_id: 2 });
    for (const page of [moving, still]) {
      await page.locator('.total-ballots', { hasText: '3 ballots' }).waitFor();
      await expect.poll(() => page.locator('.bar-label').first().textContent()).toBe('Cactus');
      // The same elements, reordered: nothing was drawn anew.
      expect(await page.locator('.bar-row:not([data-mark=first])').count()).toBe(0);
      // 2 of 3 ballots fill two thirds of the track, not all of it as the leader.
      const width = await page
        .locator('.bar-row')
        .first()
        .locator('.bar-fill')
        .getAttribute('style');
      expect(Number.parseFloat(width?.replace('width:', '') ?? '')).toBeCloseTo(66.67, 1);
    }
    expect(await moving.evaluate('window.__moves')).toBeGreaterThan(0);
    expect(await still.evaluate('window.__moves')).toBe(0);
  }, 30_000);

  it('says when the API refuses the page’s address, and shares the address the page was opened by', async () => {
    const { voteUrl } = system();
    const port = new URL(voteUrl).port;
    // The services allow their configured origin (127.0.0.1) only: "localhost" is refused.
    const refused = await openQuietly(PHONE, `http://localhost:${port}/`);
    const message = refused.locator('.more .notice');
    await message.waitFor();
    expect(await message.textContent()).toContain(
      `refuses requests from pages opened at http://localhost:${port}`,
    );
    await screenshot(refused, 'origin-refused-phone');

    // Opened by another name for this machine (as a phone on the LAN would), the page calls the
    // vote service by that name and shares links and QR codes made with it.
    const lan = `http://${LAN_HOST}:${port}`;
    // (Chromium warns there that it ignores Cross-Origin-Opener-Policy on plain http: expected.)
    const page = await openQuietly(PHONE, `${lan}/new`);
    await page.getByLabel('Question or name').fill('Team lunch');
    await page.getByLabel('Option 1', { exact: true }).fill('Noodles');
    await page.getByLabel('Option 2', { exact: true }).fill('Salad');
    await page.getByRole('button', { name: 'Create the round' }).click();
    const voteLink = await page.getByRole('textbox', { name: 'Voting link' }).inputValue();
    expect(voteLink).toMatch(new RegExp(`^${lan}/r/[0-9a-f-]{36}$`));
    expect(await page.getByRole('textbox', { name: 'Admin link' }).inputValue()).toContain(lan);
    await page.goto(voteLink);
    await page.getByLabel('Noodles').check();
    await page.getByRole('button', { name: 'Cast my vote' }).click();
    await page.getByText('Thank you, your vote is in.').waitFor();

    // The live results come from the result service, another origin by that name too: allowed
    // (PUBLIC_EXTRA_ORIGINS, as `npm start` sets it), and updated without a reload.
    await page.getByRole('link', { name: 'See the results' }).click();
    await page.getByText('1 ballot', { exact: true }).waitFor();
    expect(page.url()).toMatch(new RegExp(`^${lan}/r/[0-9a-f-]{36}/results$`));
    const roundId = voteLink.split('/').pop() ?? '';
    await castByApi(system().voteUrl, roundId, 'lan-second', { option_id: 2 });
    await page.getByText('2 ballots', { exact: true }).waitFor();
  }, 30_000);

  it('shows each voter the options in an order of their own when the round asks, and counts the right ones', async () => {
    const base = system().voteUrl;
    const labels = ['North', 'East', 'South', 'West', 'Up', 'Down', 'Left', 'Right'];
    const creator = await open(DESKTOP, `${base}/new`);
    await creator.getByLabel('Question or name').fill('Which way');
    for (const [index, label] of labels.entries()) {
      if (index >= 2) await creator.getByRole('button', { name: '+ Add an option' }).click();
      await creator.getByLabel(`Option ${index + 1}`, { exact: true }).fill(label);
    }
    await creator.getByLabel('Show the options to each voter in an order of their own').check();
    await creator.getByRole('button', { name: 'Create the round' }).click();
    const voteLink = await creator.getByRole('textbox', { name: 'Voting link' }).inputValue();
    const roundId = voteLink.split('/').pop() ?? '';
    const round = (await (await fetch(`${base}/rounds/${roundId}`)).json()) as {
      shuffle_options: boolean;
    };
    expect(round.shuffle_options).toBe(true);

    const orderOf = (page: Page) => page.locator('.choice label').allTextContents();
    const voters = [
      await open(PHONE, voteLink),
      await open(PHONE, voteLink),
      await open(PHONE, voteLink),
    ];
    const orders: string[][] = [];
    for (const voter of voters) {
      await voter.getByLabel('North').waitFor();
      orders.push(await orderOf(voter));
    }
    for (const order of orders) expect([...order].sort()).toEqual([...labels].sort());
    // Three voters drawing one of 8! orders each: all three alike once in 1.6 × 10⁹ runs.
    expect(new Set(orders.map((order) => order.join())).size).toBeGreaterThan(1);
    // The same voter sees the same order again.
    await voters[0]?.reload();
    await voters[0]?.getByLabel('North').waitFor();
    expect(await orderOf(voters[0] as Page)).toEqual(orders[0]);

    // Whatever the order, the option ticked is the option counted.
    await voters[1]?.getByLabel('South').check();
    await voters[1]?.getByRole('button', { name: 'Cast my vote' }).click();
    await voters[1]?.getByText('Thank you, your vote is in.').waitFor();
    const results = (await (await fetch(`${base}/rounds/${roundId}/results`)).json()) as {
      option_id: number;
      votes: number;
    }[];
    expect(results.find((row) => row.votes === 1)?.option_id).toBe(3);
    await screenshot(voters[2] as Page, 'vote-shuffled-phone');
  }, 45_000);
}
