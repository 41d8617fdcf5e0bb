/**
 * A round's lifecycle on the pages (issue 14, item 1): the wording edited until the first
 * ballot, a scheduled start (the create page's "Opens at", the ballot page waiting for it, the
 * manage page moving it or opening at once), the deadline moved and removed, a duplicate with
 * its own remembered token, and deletion after a confirmation. Each new page state passes
 * axe-core and fits 320 px, in light and dark (support/everywhere.ts). Called by e2e.test.ts
 * with its browser and system.
 */
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import {
  castByApi,
  createRound,
  HOSTILE_LABELS,
  HOSTILE_NAME,
  type Round,
} from './e2e-support-api.ts';
import { DESKTOP, PHONE, screenshot } from './support/browser.ts';
import { checkEverywhere, noFindings } from './support/everywhere.ts';
import type { RunningSystem } from './support/system.ts';

export interface Session {
  system(): RunningSystem;
  open(viewport: { width: number; height: number }, url?: string): Promise<Page>;
}

const HOUR = 3_600_000;
const inFuture = (ms: number) => new Date(Date.now() + ms).toISOString();
const manageUrl = (base: string, round: Round) =>
  `${base}/r/${round.round_id}/manage#token=${round.admin_token}`;

/**
 * What a `datetime-local` field shows for `at` in the page's own time zone (to the minute), and
 * back: the instant a value means there. Asked of the browser, whose zone is the one that counts.
 */
const localValue = (page: Page, at: number) =>
  page.evaluate(`(() => {
    const at = new Date(${at});
    const two = (n) => String(n).padStart(2, '0');
    return at.getFullYear() + '-' + two(at.getMonth() + 1) + '-' + two(at.getDate()) + 'T' +
      two(at.getHours()) + ':' + two(at.getMinutes());
  })()`) as Promise<string>;
const instantOf = (page: Page, value: string) =>
  page.evaluate(`new Date(${JSON.stringify(value)}).toISOString()`) as Promise<string>;

/** A JSON answer, read loosely: the tests compare its fields. */
// biome-ignore lint/suspicious/noExplicitAny: an API answer of any shape, matched field by field.
type Answer = { status: number; body: any };

async function definition(base: string, roundId: string): Promise<Answer> {
  const response = await fetch(`${base}/rounds/${roundId}/definition`);
  return { status: response.status, body: await response.json() };
}

async function voteByApi(base: string, roundId: string, voter: string): Promise<Answer> {
  const response = await fetch(`${base}/vote`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-voter-id': voter },
    body: JSON.stringify({ round_id: roundId, option_id: 1 }),
  });
  return { status: response.status, body: await response.json() };
}

const focusedText = (page: Page) =>
  page.evaluate('document.activeElement && document.activeElement.textContent');

export function lifecycleTests({ system, open }: Session): void {
  it('shows every new state with hostile labels: axe finds nothing, nothing scrolls sideways', async () => {
    const base = system().voteUrl;
    const findings = noFindings();
    const round = await createRound(base, {
      name: HOSTILE_NAME,
      options: HOSTILE_LABELS,
      opens_at: inFuture(HOUR),
      closes_at: inFuture(3 * HOUR),
    });
    const page = await open(PHONE, manageUrl(base, round));
    await page.getByRole('heading', { name: 'Question and options' }).waitFor();
    await checkEverywhere(page, 'manage-lifecycle-hostile', findings);
    await page.getByRole('button', { name: 'Delete the round' }).click();
    await page.getByRole('button', { name: 'Yes, delete it' }).waitFor();
    await checkEverywhere(page, 'manage-delete-confirm', findings);
    await page.getByRole('button', { name: 'Cancel' }).click();

    await page.goto(`${base}/r/${round.round_id}`);
    await page.getByText(/come back then\.$/).waitFor();
    await checkEverywhere(page, 'vote-scheduled-hostile', findings);

    expect(findings.overflow).toEqual([]);
    expect(findings.accessibility).toEqual([]);
  }, 120_000);

  it('edits the question and options before the first ballot, and says why not after one', async () => {
    const base = system().voteUrl;
    const findings = noFindings();
    for (const [size, viewport] of [
      ['phone', PHONE],
      ['desktop', DESKTOP],
    ] as const) {
      const round = await createRound(base, {
        name: 'Team outing',
        options: ['Bowling', 'Karting', 'Escape room'],
      });
      const page = await open(viewport, manageUrl(base, round));
      await page.getByRole('heading', { name: 'Question and options' }).waitFor();
      expect(await page.getByLabel('Question or name').inputValue()).toBe('Team outing');
      await screenshot(page, `manage-lifecycle-${size}`);
      if (size === 'phone') await checkEverywhere(page, 'manage-lifecycle', findings);

      // A blank option is refused on its field, before anything is sent.
      const third = page.getByLabel('Option 3', { exact: true });
      await third.fill('  ');
      await page.getByRole('button', { name: 'Save the wording' }).click();
      await page.locator('#edit-option-3-error').waitFor();
      expect(await page.locator('#edit-option-3-error').textContent()).toBe(
        'Option 3 is empty: each option needs its text.',
      );
      expect(await third.getAttribute('aria-invalid')).toBe('true');
      expect(await third.getAttribute('aria-describedby')).toContain('edit-option-3-error');
      if (size === 'phone') await checkEverywhere(page, 'manage-edit-errors', findings);

      await page.getByLabel('Question or name').fill('Team outing in May');
      await page.getByLabel('Option 2', { exact: true }).fill('Go-karts');
      await third.fill('Escape room');
      await page.getByRole('button', { name: 'Save the wording' }).click();
      await page.getByText('Saved: voters now see the new wording.').waitFor();
      await page.getByRole('heading', { level: 1, name: 'Team outing in May' }).waitFor();
      expect(await page.locator('#edit-option-3').getAttribute('aria-invalid')).toBeNull();

      // The ballot shows the new wording.
      const voter = await open(viewport, `${base}/r/${round.round_id}`);
      await voter.getByRole('heading', { name: 'Team outing in May' }).waitFor();
      expect(await voter.locator('.choice label').allTextContents()).toEqual([
        'Bowling',
        'Go-karts',
        'Escape room',
      ]);

      // The first ballot arrives while the organizer rewords again: the server refuses the edit,
      // and the page says why instead of the form.
      await castByApi(base, round.round_id, `outing-${size}`, { option_id: 2 });
      await page.getByLabel('Option 1', { exact: true }).fill('Bowling night');
      await page.getByRole('button', { name: 'Save the wording' }).click();
      const area = page.locator('.edit-area');
      await area.getByText('Someone voted while you were editing').waitFor();
      expect(await area.textContent()).toContain('The question and options can no longer change.');
      expect(await page.getByRole('button', { name: 'Save the wording' }).count()).toBe(0);
      const labels = (await definition(base, round.round_id)).body.options.map(
        (option: { label: string }) => option.label,
      );
      expect(labels).toEqual(['Bowling', 'Go-karts', 'Escape room']);
      if (size === 'desktop') await checkEverywhere(page, 'manage-edit-refused', findings);

      // Read again (the token remembered), the page says so from the start.
      await page.reload();
      await page.locator('.edit-area', { hasText: 'This round has ballots' }).waitFor();
      await screenshot(page, `manage-edit-locked-${size}`);
    }
    expect(findings.overflow).toEqual([]);
    expect(findings.accessibility).toEqual([]);
  }, 180_000);

  it('schedules a start on the create page; the ballot waits for it, and the start moves', async () => {
    const base = system().voteUrl;
    const findings = noFindings();
    const page = await open(DESKTOP, `${base}/new`);
    await page.getByLabel('Question or name').fill('Quiz night theme');
    await page.getByLabel('Option 1', { exact: true }).fill('Films');
    await page.getByLabel('Option 2', { exact: true }).fill('Music');
    const inAnHour = await localValue(page, Date.now() + HOUR);
    await page.getByLabel('Opens at (optional)').fill(inAnHour);
    await page.getByRole('button', { name: 'Create the round' }).click();
    await page.getByRole('heading', { name: /^“Quiz night theme” opens / }).waitFor();
    const voteLink = await page.getByRole('textbox', { name: 'Voting link' }).inputValue();
    const adminLink = await page.getByRole('textbox', { name: 'Admin link' }).inputValue();
    const roundId = voteLink.split('/').at(-1) ?? '';
    expect((await definition(base, roundId)).body).toMatchObject({
      status: 'scheduled',
      opens_at: await instantOf(page, inAnHour),
    });

    // The ballot page says when it opens and shows no ballot; a ballot by the API is refused.
    const voter = await open(PHONE, voteLink);
    await voter.getByText(/^This round opens .+; come back then\.$/).waitFor();
    expect(await voter.getByRole('button', { name: 'Cast my vote' }).count()).toBe(0);
    expect(await voter.locator('.option-preview li').allTextContents()).toEqual(['Films', 'Music']);
    await screenshot(voter, 'vote-scheduled-phone');
    await voter.setViewportSize(DESKTOP);
    await screenshot(voter, 'vote-scheduled-desktop');
    await checkEverywhere(voter, 'vote-scheduled', findings);
    expect(await voteByApi(base, roundId, 'too-early')).toMatchObject({
      status: 409,
      body: { error: 'round_not_open' },
    });

    // The results page: "Scheduled", and when it opens.
    await voter.goto(`${voteLink}/results`);
    await voter.locator('.badge-scheduled', { hasText: 'Scheduled' }).waitFor();
    expect(await voter.locator('.meta').textContent()).toContain(' · opens ');
    await checkEverywhere(voter, 'results-scheduled', findings);

    // The manage page: the start as set, moved two hours on.
    await page.goto(adminLink);
    const opensAt = page.getByLabel('Opens at', { exact: true });
    await opensAt.waitFor();
    expect(await opensAt.inputValue()).toBe(inAnHour);
    await page.locator('.snapshot .badge-scheduled').waitFor();
    expect(await page.locator('.schedule').textContent()).toMatch(/Opens .+\./);
    await screenshot(page, 'manage-scheduled-desktop');
    await checkEverywhere(page, 'manage-scheduled', findings);
    const inTwoHours = await localValue(page, Date.now() + 2 * HOUR);
    await opensAt.fill(inTwoHours);
    await page.getByRole('button', { name: 'Save the start' }).click();
    await page.getByText(/^Saved: the round opens /).waitFor();
    expect((await definition(base, roundId)).body.opens_at).toBe(await instantOf(page, inTwoHours));
    // The focus stays on the button pressed, drawn anew with the start as stored.
    await expect.poll(() => page.evaluate('document.activeElement.id')).toBe('save-start');

    // A start in the past is refused on its field, before anything is sent.
    await opensAt.fill(await localValue(page, Date.now() - HOUR));
    await page.getByRole('button', { name: 'Save the start' }).click();
    await page.locator('#opens-at-error').waitFor();
    expect(await page.locator('#opens-at-error').textContent()).toBe(
      'The opening time must be in the future.',
    );

    // Opened at once by hand: the ballot takes votes.
    await page.getByRole('button', { name: 'Open it now' }).click();
    await page
      .locator('.schedule-status', { hasText: 'The round is open for votes now.' })
      .waitFor();
    // The button pressed is gone with the start: the sentence that says so has the focus.
    await expect
      .poll(() => page.evaluate('document.activeElement.className'))
      .toBe('schedule-status');
    expect(await opensAt.count()).toBe(0);
    expect((await definition(base, roundId)).body).toMatchObject({
      status: 'open',
      opens_at: null,
    });
    expect((await voteByApi(base, roundId, 'on-time')).status).toBe(200);

    expect(findings.overflow).toEqual([]);
    expect(findings.accessibility).toEqual([]);
  }, 180_000);

  it('shows the ballot by itself, without a reload, once the scheduled start has come', async () => {
    const base = system().voteUrl;
    const round = await createRound(base, {
      name: 'Starts in a moment',
      options: ['Yes', 'No'],
      opens_at: inFuture(8_000),
    });
    const voter = await open(PHONE, `${base}/r/${round.round_id}`);
    await voter.getByText(/come back then\.$/).waitFor();
    await voter.evaluate('window.__sameDocument = true');
    await voter.getByRole('button', { name: 'Cast my vote' }).waitFor({ timeout: 20_000 });
    expect(await voter.evaluate('window.__sameDocument')).toBe(true);
    await voter.getByLabel('Yes').check();
    await voter.getByRole('button', { name: 'Cast my vote' }).click();
    await voter.getByText('Thank you, your vote is in.').waitFor();
  }, 45_000);

  it('extends, shortens and removes the deadline while the round is open', async () => {
    const base = system().voteUrl;
    const findings = noFindings();
    const closesAt = Date.now() + HOUR;
    const round = await createRound(base, {
      name: 'Summer party date',
      options: ['June', 'July'],
      closes_at: new Date(closesAt).toISOString(),
    });
    const page = await open(PHONE, manageUrl(base, round));
    const deadline = page.getByLabel('Closes by itself at', { exact: true });
    await deadline.waitFor();
    expect(await deadline.inputValue()).toBe(await localValue(page, closesAt));

    const later = await localValue(page, Date.now() + 26 * HOUR);
    await deadline.fill(later);
    await page.getByRole('button', { name: 'Save the deadline' }).click();
    await page.getByText(/^Saved: the round closes by itself /).waitFor();
    expect((await definition(base, round.round_id)).body.closes_at).toBe(
      await instantOf(page, later),
    );
    await screenshot(page, 'manage-deadline-phone');

    const sooner = await localValue(page, Date.now() + 2 * HOUR);
    await deadline.fill(sooner);
    await page.getByRole('button', { name: 'Save the deadline' }).click();
    await expect
      .poll(async () => (await definition(base, round.round_id)).body.closes_at)
      .toBe(await instantOf(page, sooner));
    // The ballot page shows the deadline as it now is.
    const voter = await open(PHONE, `${base}/r/${round.round_id}`);
    await voter.getByRole('button', { name: 'Cast my vote' }).waitFor();
    expect(await voter.locator('.meta').textContent()).toContain(' · closes ');

    await deadline.fill(await localValue(page, Date.now() - HOUR));
    await page.getByRole('button', { name: 'Save the deadline' }).click();
    await page.locator('#closes-at-error').waitFor();
    expect(await page.locator('#closes-at-error').textContent()).toBe(
      'The closing time must be in the future.',
    );
    await checkEverywhere(page, 'manage-deadline-error', findings);

    await page.getByRole('button', { name: 'Remove the deadline' }).click();
    await page.locator('.schedule', { hasText: 'No deadline: it stays open' }).waitFor();
    expect((await definition(base, round.round_id)).body.closes_at).toBeNull();
    expect(await page.getByRole('button', { name: 'Remove the deadline' }).count()).toBe(0);

    expect(findings.overflow).toEqual([]);
    expect(findings.accessibility).toEqual([]);
  }, 120_000);

  it('duplicates a round: the copy has its own links, and its manage page opens by the remembered token', async () => {
    const base = system().voteUrl;
    const findings = noFindings();
    const source = await createRound(base, {
      name: 'Book club pick',
      options: ['Dune', 'Emma', 'Ulysses'],
      method: 'approval',
      max_choices: 2,
      allow_revote: true,
    });
    await castByApi(base, source.round_id, 'reader', { option_ids: [1, 2] });
    const page = await open(DESKTOP, manageUrl(base, source));
    await page.getByRole('button', { name: 'Duplicate the round' }).click();
    const copy = page.locator('.duplicated');
    await copy.getByRole('heading', { name: 'Copy made: “Book club pick”' }).waitFor();
    expect(await focusedText(page)).toBe('Copy made: “Book club pick”');
    const voteLink = await copy.getByRole('textbox', { name: 'Voting link' }).inputValue();
    const adminLink = await copy.getByRole('textbox', { name: 'Admin link' }).inputValue();
    const copyId = voteLink.split('/').at(-1) ?? '';
    expect(voteLink).toMatch(new RegExp(`^${base}/r/[0-9a-f-]{36}$`));
    expect(copyId).not.toBe(source.round_id);
    expect(adminLink).toMatch(new RegExp(`^${voteLink}/manage#token=[\\w-]{43}$`));
    const token = adminLink.split('#token=')[1] ?? '';
    expect(await page.evaluate('localStorage.getItem("voting.admin")')).toContain(token);
    await screenshot(page, 'manage-duplicated-desktop');
    await checkEverywhere(page, 'manage-duplicated', findings);

    // Same settings, no ballots.
    expect((await definition(base, copyId)).body).toMatchObject({
      name: 'Book club pick',
      method: 'approval',
      max_choices: 2,
      allow_revote: true,
      status: 'open',
    });
    await copy.getByRole('link', { name: 'Manage the copy' }).click();
    await page.getByRole('heading', { name: 'Question and options' }).waitFor();
    expect(page.url()).toBe(`${voteLink}/manage`);
    // Without its token in the link, the page opens by the one this browser remembered.
    await page.goto('about:blank');
    await page.goto(`${voteLink}/manage`);
    await page.getByRole('button', { name: 'Save the wording' }).waitFor();
    expect(await page.getByLabel('Admin link or token').count()).toBe(0);
    expect(await page.locator('.total-ballots').textContent()).toBe('0 ballots');

    expect(findings.overflow).toEqual([]);
    expect(findings.accessibility).toEqual([]);
  }, 120_000);

  it('deletes a round after a confirmation that Cancel backs out of; then it is gone everywhere', async () => {
    const base = system().voteUrl;
    const findings = noFindings();
    const round = await createRound(base, { name: 'Old poll', options: ['Keep', 'Drop'] });
    const page = await open(PHONE, `${base}/r/${round.round_id}`);
    await page.getByLabel('Keep').check();
    await page.getByRole('button', { name: 'Cast my vote' }).click();
    await page.getByText('Thank you, your vote is in.').waitFor();
    await page.goto(manageUrl(base, round));
    await page.getByRole('heading', { name: 'Delete', exact: true }).waitFor();
    await page.goto(`${base}/`);
    const created = page.locator('section', {
      has: page.getByRole('heading', { name: 'Rounds you created here' }),
    });
    const voted = page.locator('section', {
      has: page.getByRole('heading', { name: 'Rounds you voted in' }),
    });
    await created.getByText('Old poll').waitFor();
    await voted.getByText('Old poll').waitFor();

    await page.goto(`${base}/r/${round.round_id}/manage`);
    const remove = page.getByRole('button', { name: 'Delete the round' });
    await remove.click();
    await page.getByText('Delete “Old poll” for good?').waitFor();
    expect(await focusedText(page)).toBe('Yes, delete it');
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect(await page.getByText('Delete “Old poll” for good?').count()).toBe(0);
    expect(await focusedText(page)).toBe('Delete the round');
    expect((await definition(base, round.round_id)).status).toBe(200);

    await remove.click();
    await page.getByRole('button', { name: 'Yes, delete it' }).click();
    await page.getByRole('heading', { level: 1, name: 'Round deleted' }).waitFor();
    expect(await page.locator('main').textContent()).toContain('“Old poll” is deleted');
    expect(await focusedText(page)).toBe('Round deleted');
    await screenshot(page, 'manage-deleted-phone');
    await checkEverywhere(page, 'manage-deleted', findings);
    expect((await definition(base, round.round_id)).status).toBe(404);
    expect((await fetch(`${system().resultUrl}/rounds/${round.round_id}`)).status).toBe(404);
    expect((await voteByApi(base, round.round_id, 'late')).status).toBe(404);

    await page.getByRole('link', { name: 'Go to the home page' }).click();
    await page.getByRole('heading', { name: 'Open rounds' }).waitFor();
    expect(await page.getByText('Old poll').count()).toBe(0);
    expect(await page.evaluate('localStorage.getItem("voting.admin")')).not.toContain(
      round.round_id,
    );

    expect(findings.overflow).toEqual([]);
    expect(findings.accessibility).toEqual([]);
  }, 120_000);
}
