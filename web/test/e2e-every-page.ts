/**
 * Every page state, with labels chosen to break layouts (a 150-letter word, a long URL, emoji,
 * Arabic and Hebrew mixed with Latin), checked on a phone and a desktop, in light and dark:
 * axe-core finds nothing, nothing scrolls sideways (at 320 px either), and the screenshots are
 * written. Then the pages in German. Called by e2e.test.ts with its browser and system.
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
import { DESKTOP, PHONE, screenshot } from './support/browser.ts';
import { checkEverywhere, noFindings } from './support/everywhere.ts';
import type { RunningSystem } from './support/system.ts';

export interface Session {
  system(): RunningSystem;
  open(viewport: { width: number; height: number }, url?: string, locale?: string): Promise<Page>;
}

export function everyPageTests({ system, open }: Session): void {
  it('passes axe and fits 320 px to 1440 px on every page state, light and dark, with hostile labels', async () => {
    const base = system().voteUrl;
    const findings = noFindings();
    const hostile = { name: HOSTILE_NAME, options: HOSTILE_LABELS };
    const plurality = await createRound(base, { ...hostile, allow_revote: true });
    const approval = await createRound(base, { ...hostile, method: 'approval', max_choices: 3 });
    const ranked = await createRound(base, { ...hostile, method: 'ranked' });
    const condorcet = await createRound(base, { ...hostile, method: 'condorcet' });
    const hidden = await createRound(base, { ...hostile, results: 'after_close' });
    const closed = await createRound(base, hostile);
    // Two-way ties make the longest headline ("Tied: A, B and C"); partial rankings exhaust.
    for (const [index, id] of [1, 2, 3, 4].entries()) {
      await castByApi(base, plurality.round_id, `p${index}`, { option_id: id });
      await castByApi(base, approval.round_id, `a${index}`, { option_ids: [id, 5] });
      await castByApi(base, ranked.round_id, `r${index}`, { ranking: [id] });
      await castByApi(base, condorcet.round_id, `c${index}`, { ranking: [id, 5] });
    }
    await castByApi(base, ranked.round_id, 'r-last', { ranking: [5, 1] });
    await castByApi(base, closed.round_id, 'x', { option_id: 2 });
    await closeByApi(base, closed);

    const page = await open(PHONE);
    const r = (round: { round_id: string }, suffix = '') => `${base}/r/${round.round_id}${suffix}`;
    const visit = async (url: string, ready: (p: Page) => Promise<unknown>, name: string) => {
      // Through a blank page: a link that differs only in its fragment would not load anew.
      await page.goto('about:blank');
      await page.goto(url);
      await ready(page);
      await checkEverywhere(page, name, findings);
    };

    // Create: empty, refused with its errors on the fields, then created.
    await visit(
      `${base}/new`,
      (p) => p.getByRole('button', { name: 'Create the round' }).waitFor(),
      'create',
    );
    await page.getByLabel('Question or name').fill(HOSTILE_NAME);
    await page.getByLabel('Option 1', { exact: true }).fill(HOSTILE_LABELS[0] ?? '');
    await page.getByLabel('Option 2', { exact: true }).fill(HOSTILE_LABELS[0] ?? '');
    await page.getByRole('button', { name: 'Create the round' }).click();
    await page.locator('.field-error').first().waitFor();
    await checkEverywhere(page, 'create-errors', findings);
    await page.getByLabel('Option 2', { exact: true }).fill(HOSTILE_LABELS[3] ?? '');
    await page.getByRole('button', { name: 'Create the round' }).click();
    await page.getByRole('heading', { name: /is open for votes/ }).waitFor();
    await checkEverywhere(page, 'created', findings);

    // Voting: each ballot, refused untouched, accepted, and seen again.
    await visit(
      r(plurality),
      (p) => p.getByRole('button', { name: 'Cast my vote' }).waitFor(),
      'vote-plurality',
    );
    await visit(r(approval), (p) => p.getByText('0 chosen').waitFor(), 'vote-approval');
    await visit(r(ranked), (p) => p.getByText('Nothing ranked yet').waitFor(), 'vote-ranked');
    await page.getByRole('button', { name: 'Cast my vote' }).click();
    await page.getByText('Rank at least one option first').waitFor();
    await checkEverywhere(page, 'vote-ranked-untouched', findings);
    await page.locator('.add-rank').nth(3).click();
    await page.locator('.add-rank').first().click();
    await page.getByRole('button', { name: 'Cast my vote' }).click();
    await page.getByText('Thank you, your vote is in.').waitFor();
    await checkEverywhere(page, 'vote-ranked-done', findings);
    await visit(
      r(ranked),
      (p) => p.getByText('You already voted in this round').waitFor(),
      'vote-voted',
    );
    await visit(r(closed), (p) => p.getByText('This round is closed.').waitFor(), 'vote-closed');

    // Results of each method, hidden ones, a final one.
    const bars = (p: Page) => p.locator('.bar-row').first().waitFor();
    await visit(r(plurality, '/results'), bars, 'results-plurality');
    await visit(r(approval, '/results'), bars, 'results-approval');
    await visit(
      r(ranked, '/results'),
      (p) => p.locator('.exhausted-row').waitFor(),
      'results-ranked',
    );
    await visit(
      r(condorcet, '/results'),
      (p) => p.locator('.matrix').waitFor(),
      'results-condorcet',
    );
    await visit(
      r(hidden, '/results'),
      (p) => p.getByText('hidden until the round closes').waitFor(),
      'results-hidden',
    );
    await visit(r(closed, '/results'), (p) => p.locator('.badge-final').waitFor(), 'results-final');

    // Managing: asked for the token, a wrong one refused, the page itself, an invited round.
    await visit(
      r(ranked, '/manage'),
      (p) => p.getByLabel('Admin link or token').waitFor(),
      'manage-ask',
    );
    await visit(
      r(ranked, '/manage#token=wrong'),
      (p) => p.locator('.field-error').waitFor(),
      'manage-wrong-token',
    );
    await visit(
      `${r(ranked, '/manage')}#token=${ranked.admin_token}`,
      (p) => p.getByRole('heading', { name: 'Downloads' }).waitFor(),
      'manage',
    );
    const invited = await createRound(base, { ...hostile, voters: 'invited' });
    await page.goto(`${r(invited, '/manage')}#token=${invited.admin_token}`);
    await page.getByLabel('One link per name').check();
    await page.getByLabel('Names, one per line').fill(`${HOSTILE_LABELS.join('\n')}`);
    await page.getByRole('button', { name: 'Issue invitations' }).click();
    await page.getByRole('heading', { name: '5 invitations issued: save the links now' }).waitFor();
    await checkEverywhere(page, 'manage-invited', findings);
    // Leaving asks first until the links, shown once, are saved.
    await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV (label, link)' }).click(),
    ]);

    await visit(
      `${base}/`,
      (p) => p.getByRole('heading', { name: 'Rounds you voted in' }).waitFor(),
      'home',
    );

    expect(findings.overflow).toEqual([]);
    expect(findings.accessibility).toEqual([]);
  }, 300_000);

  it('speaks German to a German browser, with a switch on every page that is remembered', async () => {
    const base = system().voteUrl;
    const round = await createRound(base, {
      name: 'Wohin zum Mittagessen?',
      options: ['Pizzeria', 'Sushi-Bar', 'Kantine'],
      method: 'ranked',
    });
    for (const [index, ranking] of [[1], [1, 2], [2, 1], [3]].entries()) {
      await castByApi(base, round.round_id, `de-${index}`, { ranking });
    }
    const page = await open(DESKTOP, `${base}/r/${round.round_id}`, 'de-DE');
    await page.getByRole('button', { name: 'Stimme abgeben' }).waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('de');
    expect(await page.getByRole('button', { name: 'Deutsch' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    await page.getByRole('button', { name: 'Einordnen: Sushi-Bar' }).click();
    await screenshot(page, 'de-vote-desktop');

    await page.goto(`${base}/r/${round.round_id}/results`);
    await page.locator('.irv-table').waitFor();
    // Numbers and percentages as German writes them: "50 %" with a space, "2 Stimmen".
    expect(await page.locator('.bar-row .bar-value').first().textContent()).toBe(
      '2 Stimmen · 50\u00a0%',
    );
    expect(await page.locator('.total-ballots').textContent()).toBe('4 Stimmzettel');
    await page.setViewportSize(PHONE);
    await screenshot(page, 'de-results-phone');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'de-results-phone-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    await page.goto(`${base}/new`);
    await page.getByRole('button', { name: 'Abstimmung erstellen' }).waitFor();
    await screenshot(page, 'de-create-phone');

    // The switch: English at once (no reload), and still English on the next page.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: 'Create the round' }).waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('en');
    await page.goto(`${base}/r/${round.round_id}/results`);
    await page.getByRole('heading', { name: 'Round by round' }).waitFor();
  }, 60_000);
}
