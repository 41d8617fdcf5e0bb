/**
 * "Who may vote" in a real browser: an invited round from creation to turnout, and listed
 * versus unlisted rounds on the home page. Called by e2e.test.ts (the e2e project runs that one
 * file), with its browser and system.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { DESKTOP, PHONE, screenshot, screenshotDir, scrollsSideways } from './support/browser.ts';
import type { RunningSystem } from './support/system.ts';

export interface Session {
  system(): RunningSystem;
  open(viewport: { width: number; height: number }, url?: string): Promise<Page>;
}

const NAMES = ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Edsger Dijkstra', 'Barbara Liskov'];
const CODE = /#code=([A-Za-z0-9_-]{22})$/;

/** Clicks a download button and returns the rows of the CSV it saves (label, link). */
async function downloadCsv(page: Page): Promise<string[][]> {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download CSV (label, link)' }).first().click(),
  ]);
  expect(file.suggestedFilename()).toMatch(/^invitations-[0-9a-f-]{36}-\d{8}-\d{6}\.csv$/);
  const text = await readFile(await file.path(), 'utf8');
  expect(text.startsWith('\uFEFFlabel,link\r\n')).toBe(true);
  // No label here holds a comma or a quote: a plain split reads it.
  return text
    .slice(1)
    .trimEnd()
    .split('\r\n')
    .slice(1)
    .map((line) => line.split(','));
}

async function vote(page: Page, choice: string): Promise<string> {
  await page.getByLabel(choice).check();
  await page.getByRole('button', { name: 'Cast my vote' }).click();
  await page.locator('.vote-status .notice').waitFor();
  return (await page.locator('.vote-status').textContent()) ?? '';
}

/**
 * Screenshots at both sizes, of the page or of one part of it (`part`, a selector), and whether
 * the page scrolls sideways on the phone.
 */
async function bothSizes(
  page: Page,
  name: string,
  overflowing: string[],
  part?: string,
): Promise<void> {
  const shoot = async (size: string) => {
    if (part)
      await page
        .locator(part)
        .screenshot({ path: path.join(screenshotDir, `${name}-${size}.png`) });
    else await screenshot(page, `${name}-${size}`);
  };
  const original = page.viewportSize() ?? DESKTOP;
  await page.setViewportSize(DESKTOP);
  await shoot('desktop');
  await page.setViewportSize(PHONE);
  const { scrollWidth, width } = await scrollsSideways(page);
  if (scrollWidth > width) overflowing.push(`${name}: ${scrollWidth} > ${width}`);
  await shoot('phone');
  await page.setViewportSize(original);
}

export function whoMayVoteTests({ system, open }: Session): void {
  it('runs an invited round: five invitation links vote, a page without a code is refused, turnout 5/5', async () => {
    const base = system().voteUrl;
    const overflowing: string[] = [];

    // The organizer creates an invited, unlisted round in the page.
    const admin = await open(DESKTOP, `${base}/new`);
    await admin.getByLabel('Question or name').fill('Board election');
    await admin.getByLabel('Option 1', { exact: true }).fill('Keep the budget');
    await admin.getByLabel('Option 2', { exact: true }).fill('Raise the budget');
    expect(await admin.getByLabel('Anyone with the link').isChecked()).toBe(true);
    expect(await admin.getByLabel('List this round on the home page').isChecked()).toBe(false);
    await admin.getByLabel('Only people I invite').check();
    await bothSizes(admin, 'create-who-may-vote', overflowing);
    await admin.getByRole('button', { name: 'Create the round' }).click();
    await admin.getByRole('heading', { name: 'Next: invite the voters' }).waitFor();
    await bothSizes(admin, 'created-invited', overflowing);
    await admin.getByRole('link', { name: 'Issue invitations' }).click();
    await admin.getByRole('heading', { name: 'Invitations' }).waitFor();
    const voteLink = admin.url().replace(/\/manage$/, '');
    expect(voteLink).toMatch(new RegExp(`^${base}/r/[0-9a-f-]{36}$`));
    await admin.getByText('0 of 0 invited voters have voted').waitFor();

    // Five invitations, one per name; the links are offered as CSV at once, and shown once.
    await admin.getByLabel('One link per name').check();
    await admin.getByLabel('Names, one per line').fill(`${NAMES.join('\n')}\n\n`);
    await admin.getByText('5 names').waitFor();
    await admin.getByRole('button', { name: 'Issue invitations' }).click();
    await admin
      .getByRole('heading', { name: '5 invitations issued: save the links now' })
      .waitFor();
    expect(await admin.locator('.issued-batch').textContent()).toContain(
      'These links are shown only this once.',
    );
    const rows = await downloadCsv(admin);
    expect(rows.map(([label]) => label)).toEqual(NAMES);
    const links = rows.map(([, link]) => link ?? '');
    for (const link of links) expect(link).toMatch(new RegExp(`^${voteLink}#code=[\\w-]{22}$`));
    const shown = await admin.locator('.issued-url').allTextContents();
    expect(shown).toEqual(links);
    await admin.getByText('0 of 5 invited voters have voted').waitFor();
    const invitations = 'section[aria-labelledby=invitations-heading]';
    await bothSizes(admin, 'manage-invitations-issued', overflowing, invitations);

    // Five voters, each in a browser context of their own, vote through their links.
    const [ada, ...others] = links;
    const first = await open(PHONE);
    const sent: Record<string, string>[] = [];
    first.on('request', (request) => {
      if (request.url().endsWith('/vote')) sent.push(request.headers());
    });
    await first.goto(ada ?? '');
    await first.getByText('You are invited.').waitFor();
    // The code left the address bar at once, and is nowhere in the page.
    expect(first.url()).toBe(voteLink);
    const adaCode = CODE.exec(ada ?? '')?.[1] ?? '';
    expect(await vote(first, 'Keep the budget')).toContain('Thank you, your vote is in.');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.['x-invitation-code']).toBe(adaCode);
    expect(sent[0]?.['x-voter-id']).toBeUndefined();
    expect(await first.content()).not.toContain(adaCode);
    expect(await first.evaluate('location.href')).toBe(voteLink);

    for (const [index, link] of others.slice(0, 3).entries()) {
      const voter = await open(index % 2 ? PHONE : DESKTOP, link);
      const choice = index === 0 ? 'Raise the budget' : 'Keep the budget';
      expect(await vote(voter, choice)).toContain('Thank you, your vote is in.');
    }

    // The organizer sees the turnout, and who has not voted yet.
    await admin.getByRole('button', { name: 'Refresh the list' }).click();
    await admin.getByText('4 of 5 invited voters have voted').waitFor();
    await admin.getByLabel('Show only who has not voted yet').check();
    expect(
      await admin.locator('.invitation-list > li:visible .invitation-name').allTextContents(),
    ).toEqual(['Barbara Liskov']);
    await admin.getByLabel('Show only who has not voted yet').uncheck();

    // Barbara votes while the organizer's list still shows her as waiting...
    const barbara = await open(DESKTOP, others[3]);
    expect(await vote(barbara, 'Raise the budget')).toContain('Thank you, your vote is in.');
    // ...so revoking her invitation is refused, in plain words, and her ballot stays counted.
    await admin.getByRole('button', { name: 'Revoke the invitation of Barbara Liskov' }).click();
    await admin.getByRole('button', { name: 'Yes, revoke it' }).click();
    await admin.getByText('Barbara Liskov has already voted.').waitFor();
    await admin.getByText('5 of 5 invited voters have voted').waitFor();
    await bothSizes(admin, 'manage-invitations-turnout', overflowing, invitations);

    // A sixth browser opens the voting page without a code: refused before any ballot.
    const uninvited = await open(PHONE, voteLink);
    await uninvited
      .getByText('This round is for invited voters: open the link from your invitation.')
      .waitFor();
    expect(await uninvited.getByRole('button', { name: 'Cast my vote' }).count()).toBe(0);
    await bothSizes(uninvited, 'vote-invitation-required', overflowing);

    // A used link, opened again elsewhere, says it was used.
    const again = await open(DESKTOP, ada);
    expect(await vote(again, 'Raise the budget')).toContain(
      'This invitation has already been used to vote.',
    );
    expect(await again.getByRole('button', { name: 'Cast my vote' }).count()).toBe(0);

    // One more invitation, without a name, revoked before use: its link no longer works.
    await admin.getByLabel('A number of links').check();
    await admin.getByLabel('How many').fill('1');
    await admin.getByRole('button', { name: 'Issue invitations' }).click();
    await admin.getByRole('heading', { name: '1 invitation issued: save the links now' }).waitFor();
    const [[label, spare] = []] = await downloadCsv(admin);
    expect(label).toBe('');
    await admin.getByText('5 of 6 invited voters have voted').waitFor();
    await admin.getByRole('button', { name: 'Revoke the invitation of No name' }).click();
    await admin.getByRole('button', { name: 'Yes, revoke it' }).click();
    await admin.locator('.invitation[data-state=revoked]').waitFor();
    await admin.getByText('5 of 5 invited voters have voted').waitFor();
    const revoked = await open(PHONE, spare);
    expect(await vote(revoked, 'Keep the budget')).toContain('This invitation link does not work.');
    await bothSizes(revoked, 'vote-invitation-invalid', overflowing);

    // The result counts the five ballots; the organizer finds the round on the home page.
    const round = await (await fetch(`${voteLink.replace('/r/', '/rounds/')}`)).json();
    expect(round).toMatchObject({ voters: 'invited', listed: false, total_ballots: 5 });
    await admin.goto(`${base}/`);
    const mine = admin.locator('section', {
      has: admin.getByRole('heading', { name: 'Rounds you created here' }),
    });
    expect(await mine.textContent()).toContain('Board election');
    expect(await mine.textContent()).toContain('invited voters · not listed');
    expect(overflowing).toEqual([]);
  }, 90_000);

  it('lists a listed round on the home page, and keeps an unlisted one to its voters', async () => {
    const base = system().voteUrl;
    const create = async (body: object) => {
      const response = await fetch(`${base}/rounds`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(201);
      return (await response.json()) as { round_id: string; listed: boolean };
    };
    const listed = await create({
      name: 'Listed picnic',
      options: ['Park', 'Beach'],
      listed: true,
    });
    const unlisted = await create({ name: 'Unlisted picnic', options: ['Park', 'Beach'] });
    expect([listed.listed, unlisted.listed]).toEqual([true, false]);

    const visitor = await open(DESKTOP, `${base}/`);
    const openRounds = visitor.locator('section', {
      has: visitor.getByRole('heading', { name: 'Open rounds' }),
    });
    await openRounds.getByRole('link', { name: 'Listed picnic', exact: true }).waitFor();
    expect(await visitor.getByText('Unlisted picnic').count()).toBe(0);

    // Whoever voted in the unlisted round finds it again under "Rounds you voted in".
    await visitor.goto(`${base}/r/${unlisted.round_id}`);
    expect(await vote(visitor, 'Beach')).toContain('Thank you, your vote is in.');
    await visitor.goto(`${base}/`);
    const voted = visitor.locator('section', {
      has: visitor.getByRole('heading', { name: 'Rounds you voted in' }),
    });
    await voted.getByRole('link', { name: 'Unlisted picnic', exact: true }).waitFor();
    await openRounds.getByRole('link', { name: 'Listed picnic', exact: true }).waitFor();
    expect(await openRounds.getByText('Unlisted picnic').count()).toBe(0);
    await screenshot(visitor, 'home-voted-desktop');
  }, 45_000);
}
