/**
 * The pages in a real headless Chromium (from npm: @sparticuz/chromium, driven by playwright-core;
 * see support/browser.ts) against vote, result and the worker running in this process,
 * configured as `npm start` configures them: the pages come from the vote service and call the
 * result service on another origin. Screenshots of every page, desktop and phone, go to
 * test-results/screenshots/.
 */
import { readFile } from 'node:fs/promises';
import { tabulateInstantRunoff } from '@voting/domain';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { everyPageTests } from './e2e-every-page.ts';
import { lifecycleTests } from './e2e-lifecycle.ts';
import { organizerTests } from './e2e-organizer.ts';
import { presenterTests } from './e2e-presenter.ts';
import { scheduleTests } from './e2e-schedule.ts';
import {
  castByApi as castAt,
  closeByApi as closeAt,
  createRound as createRoundAt,
  type Round,
} from './e2e-support-api.ts';
import { whoMayVoteTests } from './e2e-who-may-vote.ts';
import {
  DESKTOP,
  launchChromium,
  openPage,
  type PageProblems,
  PHONE,
  screenshot,
  scrollsSideways,
  watch,
} from './support/browser.ts';
import { startPathRoutedHost } from './support/path-routed-host.ts';
import { type RunningSystem, startSystem } from './support/system.ts';

let system: RunningSystem;
let browser: Browser;
const problems: PageProblems = { list: [] };
const pagesOpened: Page[] = [];

beforeAll(async () => {
  // The browser first: without it the run fails at once, before any database is made.
  browser = await launchChromium();
  system = await startSystem();
}, 60_000);

afterAll(async () => {
  for (const page of pagesOpened) await page.context().close();
  await browser?.close();
  await system?.stop();
});

async function open(
  viewport: { width: number; height: number },
  url?: string,
  locale?: string,
): Promise<Page> {
  const page = await openPage(browser, viewport, problems, locale);
  pagesOpened.push(page);
  if (url) await page.goto(url);
  return page;
}

const createRound = (body: object) => createRoundAt(system.voteUrl, body);
const castByApi = (roundId: string, voter: string, ballot: object) =>
  castAt(system.voteUrl, roundId, voter, ballot);
const closeByApi = (round: Round) => closeAt(system.voteUrl, round);

const rankLabels = (page: Page) => page.locator('.ranking .rank-label').allTextContents();

/** Ranks these options, in this order, with their "Rank" buttons (a ballot starts unranked). */
async function rank(page: Page, ...labels: string[]): Promise<void> {
  for (const label of labels) await page.getByRole('button', { name: `Rank ${label}` }).click();
}

async function castFromPage(page: Page, submit = true): Promise<string> {
  if (submit) await page.getByRole('button', { name: 'Cast my vote' }).click();
  // Whatever the page answers, so that a refusal fails the test with its words.
  await page.locator('.vote-status .notice').waitFor();
  expect(await page.locator('.vote-status').textContent()).toContain('Thank you, your vote is in.');
  return (await page.locator('.vote-status .receipt').textContent()) ?? '';
}

describe('in a real browser', () => {
  it('creates a ranked round, takes three ballots, shows the IRV count live, closes and shows "final"', async () => {
    // The organizer creates the round in the page.
    const admin = await open(DESKTOP, `${system.voteUrl}/new`);
    await admin.getByLabel('Question or name').fill('Lunch on Friday');
    await admin.getByLabel('Option 1', { exact: true }).fill('Pizza');
    await admin.getByLabel('Option 2', { exact: true }).fill('Sushi');
    await admin.getByRole('button', { name: '+ Add an option' }).click();
    await admin.getByLabel('Option 3', { exact: true }).fill('Tacos');
    await admin.getByLabel('Ranked choice').check();
    await screenshot(admin, 'create-filled-desktop');
    await admin.getByRole('button', { name: 'Create the round' }).click();
    await admin.getByRole('heading', { name: '“Lunch on Friday” is open for votes' }).waitFor();
    expect(await admin.locator('svg.qr path').getAttribute('d')).toMatch(/^M/);
    const voteLink = await admin.getByRole('textbox', { name: 'Voting link' }).inputValue();
    const resultsLink = await admin.getByRole('textbox', { name: 'Results link' }).inputValue();
    const adminLink = await admin.getByRole('textbox', { name: 'Admin link' }).inputValue();
    expect(voteLink).toMatch(new RegExp(`^${system.voteUrl}/r/[0-9a-f-]{36}$`));
    expect(resultsLink).toBe(`${voteLink}/results`);
    expect(adminLink).toMatch(new RegExp(`^${voteLink}/manage#token=[\\w-]{43}$`));
    await screenshot(admin, 'created-desktop');
    const roundId = voteLink.split('/').at(-1) ?? '';

    // Someone watches the results from the start, in a fourth browser context.
    const watcher = await open(DESKTOP, resultsLink);
    const apiReads: string[] = [];
    watcher.on('request', (request) => {
      if (/\/rounds\/[^/]+(\/results)?$/.test(new URL(request.url()).pathname))
        apiReads.push(request.url());
    });
    await watcher.getByText('No ballots yet.').waitFor();
    await watcher.evaluate('window.__sameDocument = true');

    // Three voters, each in a browser context of their own, each ranking another way.
    const byDrag = await open(DESKTOP, voteLink);
    await byDrag.getByText('One browser = one ballot.').waitFor();
    await rank(byDrag, 'Pizza', 'Sushi', 'Tacos');
    const grip = byDrag.locator('.rank-item', { hasText: 'Sushi' }).locator('.grip');
    const target = byDrag.locator('.rank-item', { hasText: 'Pizza' });
    const from = await grip.boundingBox();
    const to = await target.boundingBox();
    if (!from || !to) throw new Error('ranking items are not laid out');
    await byDrag.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await byDrag.mouse.down();
    await byDrag.mouse.move(to.x + 40, to.y + 4, { steps: 8 });
    await byDrag.mouse.up();
    expect(await rankLabels(byDrag)).toEqual(['Sushi', 'Pizza', 'Tacos']);
    await screenshot(byDrag, 'vote-ranked-desktop');
    const receipts = [await castFromPage(byDrag)];
    await screenshot(byDrag, 'vote-done-desktop');

    const byButtons = await open(PHONE, voteLink);
    await rank(byButtons, 'Pizza', 'Sushi', 'Tacos');
    const tacosUp = byButtons.getByRole('button', { name: 'Move Tacos up' });
    await tacosUp.click();
    await tacosUp.click();
    expect(await rankLabels(byButtons)).toEqual(['Tacos', 'Pizza', 'Sushi']);
    await expect
      .poll(() => byButtons.locator('.ranking-box [role=status]').textContent())
      .toBe('Your ranking: Tacos is now number 1 of 3.');
    await screenshot(byButtons, 'vote-ranked-phone');
    receipts.push(await castFromPage(byButtons));
    await screenshot(byButtons, 'vote-done-phone');

    // The third ranks only two options, and with the keyboard: Enter on "Rank Pizza" moves the
    // focus to the next unranked option's button.
    const byKeys = await open(DESKTOP, voteLink);
    await byKeys.getByRole('button', { name: 'Rank Pizza' }).focus();
    await byKeys.keyboard.press('Enter');
    expect(await byKeys.evaluate('document.activeElement.getAttribute("aria-label")')).toBe(
      'Rank Sushi',
    );
    await byKeys.keyboard.press('Tab'); // to "Rank Tacos"
    await byKeys.keyboard.press('Enter');
    expect(await rankLabels(byKeys)).toEqual(['Pizza', 'Tacos']);
    receipts.push(await castFromPage(byKeys));

    // The watcher's page follows the stream to the instant-runoff outcome, without a reload.
    // Three ballots with three different first choices tie 1-1-1, so the round id's seeded
    // order decides who goes first: the expectation comes from the domain's own count.
    const expected = tabulateInstantRunoff(
      [1, 2, 3],
      [
        { choices: [2, 1, 3], count: 1 },
        { choices: [3, 1, 2], count: 1 },
        { choices: [1, 3], count: 1 },
      ],
      roundId,
    );
    const labels = ['', 'Pizza', 'Sushi', 'Tacos'];
    const winner = labels[expected.winner ?? 0];
    await watcher.locator('.total-ballots', { hasText: '3 ballots' }).waitFor();
    // ...once the worker's tabulation has caught up with the three ballots.
    await expect.poll(() => watcher.locator('.tabulation-lag').count()).toBe(0);
    await expect.poll(() => watcher.locator('.headline').textContent()).toBe(`Leading: ${winner}`);
    const irvTable = watcher.locator('.irv-table');
    await expect.poll(() => irvTable.locator('thead th').count()).toBe(1 + expected.rounds.length);
    const eliminated = labels[expected.rounds[0]?.eliminated[0] ?? 0];
    expect(await watcher.locator('.steps li').first().textContent()).toContain(
      `After round 1: ${eliminated} is out (a tie, broken by the round’s fixed random order).`,
    );
    expect(await watcher.locator('.bar-row .bar-value').allTextContents()).toEqual([
      '1 vote · 33%',
      '1 vote · 33%',
      '1 vote · 33%',
    ]);
    await screenshot(watcher, 'results-live-desktop');

    // The organizer closes the round from the manage page.
    await admin.goto(adminLink);
    await admin.getByRole('button', { name: 'Close the round now' }).waitFor();
    expect(admin.url()).toBe(`${voteLink}/manage`); // the token left the address bar
    await screenshot(admin, 'manage-desktop');
    await admin.getByRole('button', { name: 'Close the round now' }).click();
    await admin.getByRole('button', { name: 'Yes, close it now' }).click();
    await admin.getByText('This round is closed.').waitFor();

    // ...and the watcher sees the final result, still without a reload, and no polling.
    await watcher.locator('.badge-final', { hasText: 'Final result' }).waitFor();
    expect(await watcher.locator('.headline').textContent()).toBe(`Winner: ${winner}`);
    expect(await watcher.getByText('Final: these figures will not change.').count()).toBe(1);
    expect(await watcher.evaluate('window.__sameDocument')).toBe(true);
    expect(apiReads).toEqual([]);
    await screenshot(watcher, 'results-final-desktop');

    // The downloads: the final result and the ballots, whose rows carry the voters' receipts.
    await admin.getByRole('button', { name: 'Refresh' }).click();
    await admin.locator('.snapshot .badge-final').waitFor();
    await screenshot(admin, 'manage-closed-desktop');
    const [resultsFile] = await Promise.all([
      admin.waitForEvent('download'),
      admin.getByRole('link', { name: 'Results (JSON)' }).click(),
    ]);
    const downloaded = JSON.parse(await readFile(await resultsFile.path(), 'utf8'));
    expect(downloaded).toMatchObject({ round_id: roundId, final: true, total_ballots: 3 });
    const [ballotsFile] = await Promise.all([
      admin.waitForEvent('download'),
      admin.getByRole('link', { name: 'Ballots (CSV)' }).click(),
    ]);
    // A closed round's export is public: a plain link, named by the server.
    expect(ballotsFile.suggestedFilename()).toBe(`round-${roundId}-ballots.csv`);
    const csv = await readFile(await ballotsFile.path(), 'utf8');
    for (const receipt of receipts) expect(csv).toContain(receipt);

    // A closed round cannot be voted in.
    const late = await open(PHONE, voteLink);
    await late.getByText('This round is closed.').waitFor();
    expect(await late.getByRole('button', { name: 'Cast my vote' }).count()).toBe(0);
    await screenshot(late, 'vote-closed-phone');
  }, 60_000);

  it('explains a second ballot from the same browser, and a round that closed meanwhile', async () => {
    const round = await createRound({ name: 'Team colour', options: ['Red', 'Green', 'Blue'] });
    const link = `${system.voteUrl}/r/${round.round_id}`;
    const first = await open(DESKTOP, link);
    // A second tab of the same browser: same localStorage, so the same voter id.
    const second = await first.context().newPage();
    watch(second, problems);
    await second.goto(link);

    await first.getByLabel('Green').check();
    await first.getByRole('button', { name: 'Cast my vote' }).click();
    await first.getByText('Thank you, your vote is in.').waitFor();

    await second.getByLabel('Blue').check();
    await second.getByRole('button', { name: 'Cast my vote' }).click();
    await second.getByText('This browser has already voted in this round.').waitFor();
    expect(await second.locator('.vote-status').textContent()).toContain(
      'your first vote is the one that counts',
    );
    await screenshot(second, 'vote-duplicate-desktop');

    // Back on the page, the voter sees the ballot they cast and its receipt, not a dead ballot.
    await first.reload();
    await first.getByRole('heading', { name: 'You already voted in this round' }).waitFor();
    expect(await first.locator('.your-ballot .chosen').textContent()).toBe('Green');
    expect(await first.getByRole('button', { name: 'Cast my vote' }).count()).toBe(0);
    await first.getByRole('link', { name: 'See the results' }).waitFor();

    // A link to no round says so, on the ballot and on the results.
    const nowhere = `${system.voteUrl}/r/00000000-0000-4000-8000-000000000000`;
    const lost = await open(PHONE, nowhere);
    await lost.getByText('There is no such round. Check the link you were given.').waitFor();
    await lost.goto(`${nowhere}/results`);
    await lost.getByText('There is no such round. Check the link you were given.').waitFor();

    // A voter whose page was open while the round closed is told so when sending.
    const slow = await open(PHONE, link);
    await slow.getByLabel('Red').check();
    await closeByApi(round);
    await slow.getByRole('button', { name: 'Cast my vote' }).click();
    await slow.getByText('This round is closed.').waitFor();
    expect(await slow.getByRole('button', { name: 'Cast my vote' }).count()).toBe(0);
  }, 45_000);

  it('ranks with the keyboard alone', async () => {
    const round = await createRound({
      name: 'Reading list',
      options: ['Dune', 'Emma', 'Ulysses', 'Beloved'],
      method: 'condorcet',
    });
    const page = await open(DESKTOP, `${system.voteUrl}/r/${round.round_id}`);
    await page.getByRole('heading', { name: 'Reading list' }).waitFor();
    const focused = () =>
      page.evaluate(
        'document.activeElement && (document.activeElement.getAttribute("aria-label") || document.activeElement.textContent)',
      );
    // Tab from the top of the page to the first "Rank" button: the order of the controls is the
    // order on the screen. Enter ranks an option and moves on to the next one's button.
    for (let i = 0; i < 30 && (await focused()) !== 'Rank Dune'; i++) {
      await page.keyboard.press('Tab');
    }
    expect(await focused()).toBe('Rank Dune');
    for (const next of ['Rank Emma', 'Rank Ulysses', 'Rank Beloved', 'Move Beloved up']) {
      await page.keyboard.press('Enter');
      expect(await focused()).toBe(next);
    }
    expect(await rankLabels(page)).toEqual(['Dune', 'Emma', 'Ulysses', 'Beloved']);

    await page.keyboard.press('Enter'); // Beloved to 3rd
    await page.keyboard.press(' '); // ...2nd
    await page.keyboard.press('ArrowUp'); // ...1st
    expect(await rankLabels(page)).toEqual(['Beloved', 'Dune', 'Emma', 'Ulysses']);
    await page.keyboard.press('Enter'); // already first: said so, nothing moves
    expect(await page.locator('.ranking-box [role=status]').textContent()).toBe(
      'Beloved is already first.',
    );
    expect(await focused()).toBe('Move Beloved up'); // focus stays with the moved option

    // Ulysses down one with the arrow key on its button, then submit with the keyboard.
    await page.getByRole('button', { name: 'Move Emma down' }).focus();
    await page.keyboard.press('ArrowDown');
    expect(await rankLabels(page)).toEqual(['Beloved', 'Dune', 'Ulysses', 'Emma']);
    expect(await focused()).toBe('Move Emma down');
    await page.keyboard.press('Tab'); // Emma's own "take out" button, then the submit button
    expect(await focused()).toBe('Take Emma out of the ranking');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Cast my vote');
    await page.keyboard.press('Enter');
    await castFromPage(page, false);

    const stored = await system.db.pool.query('SELECT choices FROM ballots WHERE round_id = $1', [
      round.round_id,
    ]);
    expect(stored.rows).toEqual([{ choices: [4, 1, 3, 2] }]);
  }, 45_000);

  it('fits a phone screen (390×844) on every page, without sideways scrolling', async () => {
    const ranked = await createRound({
      name: 'Which city should host the 2027 regional meetup of the association?',
      options: ['Amsterdam', 'Barcelona', 'Copenhagen', 'Dubrovnik', 'Edinburgh'],
      method: 'ranked',
    });
    const rankings = [
      [1, 2, 3],
      [2, 1],
      [3, 2, 1],
      [4, 3, 2],
      [1, 3],
      [2, 3],
      [5, 1],
    ];
    for (const [index, ranking] of rankings.entries()) {
      await castByApi(ranked.round_id, `ranked-${index}`, { ranking });
    }
    const condorcet = await createRound({
      name: 'Logo',
      options: ['Circle', 'Square', 'Triangle', 'Star'],
      method: 'condorcet',
    });
    for (const [index, ranking] of [
      [1, 2, 3, 4],
      [2, 3, 1],
      [3, 1, 2],
      [1, 3],
      [2, 1, 4],
    ].entries()) {
      await castByApi(condorcet.round_id, `condorcet-${index}`, { ranking });
    }
    const approval = await createRound({
      name: 'Snacks for the meeting',
      options: ['Fruit', 'Cookies', 'Crisps', 'Nuts'],
      method: 'approval',
      min_choices: 1,
      max_choices: 2,
      allow_revote: true,
    });
    await castByApi(approval.round_id, 'a1', { option_ids: [1, 2] });
    await castByApi(approval.round_id, 'a2', { option_ids: [2] });
    const hidden = await createRound({
      name: 'Secret until the end',
      options: ['Yes', 'No'],
      results: 'after_close',
    });

    const r = (round: Round, suffix = '') => `${system.voteUrl}/r/${round.round_id}${suffix}`;
    const pages: [string, string, (page: Page) => Promise<unknown>][] = [
      [
        'home',
        `${system.voteUrl}/`,
        (p) => p.getByRole('heading', { name: 'Open rounds' }).waitFor(),
      ],
      [
        'create',
        `${system.voteUrl}/new`,
        (p) => p.getByRole('button', { name: 'Create the round' }).waitFor(),
      ],
      ['vote-approval', r(approval), (p) => p.getByText('0 chosen').waitFor()],
      [
        'vote-hidden-results',
        r(hidden),
        (p) => p.getByRole('button', { name: 'Cast my vote' }).waitFor(),
      ],
      ['results-ranked', r(ranked, '/results'), (p) => p.locator('.irv-table').waitFor()],
      ['results-condorcet', r(condorcet, '/results'), (p) => p.locator('.matrix').waitFor()],
      [
        'results-approval',
        r(approval, '/results'),
        (p) => p.getByRole('heading', { name: 'Approvals' }).waitFor(),
      ],
      [
        'results-hidden',
        r(hidden, '/results'),
        (p) => p.getByText('hidden until the round closes').waitFor(),
      ],
      [
        'manage',
        `${r(ranked, '/manage')}#token=${ranked.admin_token}`,
        (p) => p.getByRole('heading', { name: 'Downloads' }).waitFor(),
      ],
    ];
    const overflowing: string[] = [];
    for (const [viewport, suffix] of [
      [PHONE, 'phone'],
      [DESKTOP, 'desktop'],
    ] as const) {
      const page = await open(viewport);
      for (const [name, url, ready] of pages) {
        await page.goto(url);
        await ready(page);
        const { scrollWidth, width } = await scrollsSideways(page);
        if (scrollWidth > width) overflowing.push(`${name} (${suffix}): ${scrollWidth} > ${width}`);
        await screenshot(page, `${name}-${suffix}`);
      }
    }
    expect(overflowing).toEqual([]);

    // Results hidden until close appear, live, once the round closes.
    const waiting = await open(DESKTOP, r(hidden, '/results'));
    await waiting.getByText('The results are hidden until the round closes.').waitFor();
    await closeByApi(hidden);
    await waiting.locator('.badge-final').waitFor();
    expect(await waiting.locator('.total-ballots').textContent()).toBe('0 ballots');

    // While a round is open its ballots are the admin's: the page fetches them with the token.
    const organizer = await open(DESKTOP, `${r(ranked, '/manage')}#token=${ranked.admin_token}`);
    const [ndjson] = await Promise.all([
      organizer.waitForEvent('download'),
      organizer.getByRole('link', { name: 'Ballots (NDJSON)' }).click(),
    ]);
    const lines = (await readFile(await ndjson.path(), 'utf8')).trim().split('\n');
    expect(lines.filter((line) => line.includes('"receipt"'))).toHaveLength(rankings.length);

    // The approval ballot enforces its limit: at two ticks the other boxes are disabled.
    const voter = await open(PHONE, r(approval));
    await voter.getByLabel('Fruit').check();
    await voter.getByLabel('Nuts').check();
    expect(await voter.getByLabel('Cookies').isDisabled()).toBe(true);
    await voter.getByText('2 chosen (the most you may choose).').waitFor();
  }, 60_000);

  it('works behind one host that routes /live/ to the result service (Kubernetes)', async () => {
    const host = await startPathRoutedHost(system.db);
    try {
      const response = await fetch(`${host.url}/rounds`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Behind the ingress', options: ['Left', 'Right'] }),
      });
      const round = (await response.json()) as Round;
      // The results page comes from the result service, under its prefix, and streams from it.
      const watcher = await open(PHONE, `${host.url}/live/r/${round.round_id}/results`);
      await watcher.getByText('No ballots yet.').waitFor();
      const voter = await open(PHONE, `${host.url}/r/${round.round_id}`);
      await voter.getByLabel('Right').check();
      await castFromPage(voter);
      expect(await voter.getByRole('link', { name: 'See the results' }).getAttribute('href')).toBe(
        `${host.url}/r/${round.round_id}/results`,
      );
      await watcher.locator('.total-ballots', { hasText: '1 ballot' }).waitFor();
      expect(await watcher.locator('.headline').textContent()).toBe('Leading: Right');
      for (const page of [watcher, voter]) await page.context().close();
    } finally {
      await host.close();
    }
  }, 30_000);

  describe('who may vote', () => whoMayVoteTests({ system: () => system, open }));

  describe('the organizer and the voter (issue 14)', () =>
    organizerTests({
      system: () => system,
      open,
      openQuietly: async (viewport, url) => {
        const page = await openPage(browser, viewport, { list: [] });
        pagesOpened.push(page);
        await page.goto(url);
        return page;
      },
    }));

  describe('every page, everywhere', () => everyPageTests({ system: () => system, open }));

  describe('a round’s lifecycle', () => {
    lifecycleTests({ system: () => system, open });
    scheduleTests({ system: () => system, open });
  });

  describe('the presenter view (issue 14)', () => presenterTests({ system: () => system, open }));

  it('ran every page without script errors or Content-Security-Policy violations', () => {
    expect(problems.list).toEqual([]);
  });
});
