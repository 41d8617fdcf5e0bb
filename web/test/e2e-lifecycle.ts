import { expect, it } from 'vitest';
import { castByApi, createRound, HOSTILE_LABELS, HOSTILE_NAME } from './e2e-support-api.ts';
import { DESKTOP, PHONE, screenshot } from './support/browser.ts';
import { checkEverywhere, noFindings } from './support/everywhere.ts';
import {
  definition,
  focusedText,
  HOUR,
  inFuture,
  manageUrl,
  type Session,
  voteByApi,
} from './support/lifecycle.ts';

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
