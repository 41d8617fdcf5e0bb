import { expect, it } from 'vitest';
import { createRound } from './e2e-support-api.ts';
import { DESKTOP, PHONE, screenshot } from './support/browser.ts';
import { checkEverywhere, noFindings } from './support/everywhere.ts';
import {
  definition,
  HOUR,
  inFuture,
  instantOf,
  localValue,
  manageUrl,
  type Session,
  voteByApi,
} from './support/lifecycle.ts';

export function scheduleTests({ system, open }: Session): void {
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
}
