import { checkText, isBlank } from '@voting/domain';
import { ApiError, bearer, type IssuedInvitation, postJson } from '../../lib/api.ts';
import { h, notice, plural, replace } from '../../lib/dom.ts';
import { csvBlob, saveBlob } from '../../lib/download.ts';
import { explain } from '../../lib/page.ts';
import { copyWhole, linkRow, unsavedGuard } from './issued-links.ts';

/** The most invitations one request may issue (the API's limit). */
const MAX_PER_REQUEST = 10_000;
/** Links shown in the page after issuing; all of them are in the CSV and "Copy all". */
const SHOWN = 200;

export interface IssueArea {
  element: HTMLElement;
  /** The round closed: no more invitations can be issued (the links already shown stay). */
  close(): void;
}

/**
 * Issuing invitations: a number of them, or one per name pasted one per line. The answer is
 * the only time the codes exist outside the server's hashes, so the links are offered at once
 * as a CSV file and shown once, with a warning, until the page is left.
 */
export function issueArea(
  url: string,
  token: string,
  fileStem: string,
  issued: () => void,
): IssueArea {
  const errors = h('div', { class: 'form-errors', tabindex: -1 });
  const batches = h('div', { class: 'issued-batches' });
  const count = h('input', {
    id: 'invite-count',
    type: 'number',
    min: 1,
    max: MAX_PER_REQUEST,
    value: 10,
    inputmode: 'numeric',
  });
  const names = h('textarea', {
    id: 'invite-names',
    rows: 6,
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-describedby': 'invite-names-count',
  });
  const namesCount = h('p', { class: 'hint', id: 'invite-names-count', 'aria-live': 'polite' });
  const countField = h(
    'div',
    { class: 'field issue-detail' },
    h('label', { for: 'invite-count' }, 'How many'),
    count,
  );
  const namesField = h(
    'div',
    { class: 'field issue-detail', hidden: true },
    h('label', { for: 'invite-names' }, 'Names, one per line'),
    names,
    namesCount,
  );
  const lines = () => names.value.split(/\r\n|\r|\n/).filter((line) => !isBlank(line));
  names.addEventListener('input', () => {
    namesCount.textContent = plural(lines().length, 'name');
  });

  const mode = (value: 'count' | 'labels', label: string, hint: string, detail: HTMLElement) =>
    h(
      'div',
      { class: 'choice' },
      h('input', {
        type: 'radio',
        name: 'issue-mode',
        id: `issue-${value}`,
        value,
        checked: value === 'count',
        'aria-describedby': `issue-${value}-hint`,
        onchange: () => {
          countField.hidden = value !== 'count';
          namesField.hidden = value !== 'labels';
        },
      }),
      h('label', { for: `issue-${value}` }, label),
      h('p', { class: 'hint', id: `issue-${value}-hint` }, hint),
      detail,
    );

  const submit = h('button', { type: 'submit', class: 'button primary' }, 'Issue invitations');
  const form = h(
    'form',
    { class: 'stack issue-form', novalidate: true },
    h(
      'fieldset',
      { class: 'choices' },
      h('legend', null, 'Issue invitations'),
      mode(
        'count',
        'A number of links',
        'Without names: you keep track of who gets which.',
        countField,
      ),
      mode(
        'labels',
        'One link per name',
        'Paste a list of names. They are your notes, for the list below and the CSV: voters never see them.',
        namesField,
      ),
    ),
    errors,
    submit,
  );

  /** The request body, or the problem with what was typed. */
  const body = (): { count: number } | { labels: string[] } | string => {
    if (form.querySelector<HTMLInputElement>('input[name=issue-mode]:checked')?.value === 'count') {
      const n = Number(count.value);
      if (!Number.isInteger(n) || n < 1 || n > MAX_PER_REQUEST) {
        return `Give a whole number of invitations from 1 to ${MAX_PER_REQUEST.toLocaleString()}.`;
      }
      return { count: n };
    }
    const labels: string[] = [];
    for (const [index, line] of lines().entries()) {
      // The server's own text rule, asked before sending (it names the line at fault).
      const checked = checkText(line, `Name ${index + 1}`);
      if (!checked.ok) return `${checked.message}.`;
      labels.push(checked.text);
    }
    if (labels.length === 0) return 'Paste at least one name, one per line.';
    if (labels.length > MAX_PER_REQUEST) {
      return `At most ${MAX_PER_REQUEST.toLocaleString()} names at a time (you gave ${labels.length.toLocaleString()}).`;
    }
    return { labels };
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const request = body();
    if (typeof request === 'string') {
      replace(errors, notice('error', request));
      errors.focus();
      return;
    }
    replace(errors);
    submit.disabled = true;
    submit.textContent = 'Issuing…';
    try {
      const answer = await postJson<{ invitations: IssuedInvitation[] }>(
        url,
        request,
        bearer(token),
      );
      names.value = '';
      namesCount.textContent = '';
      const batch = issuedBatch(answer.invitations, fileStem);
      batches.prepend(batch);
      batch.querySelector<HTMLElement>('h3')?.focus();
      issued();
    } catch (error) {
      replace(errors, notice('error', `No invitations were issued. ${refusal(error)}`));
      errors.focus();
    } finally {
      submit.disabled = false;
      submit.textContent = 'Issue invitations';
    }
  });

  const element = h('div', { class: 'issue-area' }, form, batches);
  return {
    element,
    close: () => {
      form.replaceWith(notice('info', 'The round is closed: no more invitations can be issued.'));
    },
  };
}

function refusal(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'round_closed') return 'The round is closed.';
    if (error.code === 'round_not_invited') {
      return 'This round is open to anyone with its link: it takes no invitations.';
    }
  }
  return explain(error);
}

/** The links just issued: download, copy, and the warning that they are shown only now. */
function issuedBatch(invitations: IssuedInvitation[], fileStem: string): HTMLElement {
  const status = h('p', { class: 'copy-status', role: 'status', 'aria-live': 'polite' });
  const guard = unsavedGuard();
  const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  const download = h(
    'button',
    {
      type: 'button',
      class: 'button primary',
      onclick: () => {
        const rows = invitations.map((invitation) => [invitation.label, invitation.url]);
        saveBlob(csvBlob([['label', 'link'], ...rows]), `invitations-${fileStem}-${stamp}.csv`);
        status.textContent = 'The CSV file is downloaded.';
        guard.saved();
      },
    },
    'Download CSV (label, link)',
  );
  const copyAll = h(
    'button',
    {
      type: 'button',
      class: 'button secondary',
      onclick: async () => {
        // Label, tab, link: pasted into a spreadsheet, two columns.
        const text = invitations
          .map(({ label, url }) => (label ? `${label}\t${url}` : url))
          .join('\n');
        const copied = await copyWhole(text);
        status.textContent = copied
          ? 'All the links are copied.'
          : 'Copying failed: download the CSV.';
        if (copied) guard.saved();
      },
    },
    'Copy all links',
  );
  const hidden = invitations.length - SHOWN;
  return h(
    'section',
    { class: 'issued-batch', 'aria-labelledby': `${stamp}-heading` },
    h(
      'h3',
      { id: `${stamp}-heading`, tabindex: -1 },
      `${plural(invitations.length, 'invitation')} issued: save the links now`,
    ),
    h(
      'p',
      null,
      h('strong', null, 'These links are shown only this once. '),
      'They cannot be shown again, not even to you: download them now, then send each voter their own link. A lost link can be revoked and replaced by a new one.',
    ),
    h('div', { class: 'button-row' }, download, copyAll),
    status,
    h(
      'ol',
      { class: 'issued-links' },
      invitations
        .slice(0, SHOWN)
        .map((invitation, index) =>
          linkRow(invitation.label || `Invitation ${index + 1}`, invitation.url),
        ),
    ),
    hidden > 0
      ? h('p', { class: 'hint' }, `…and ${plural(hidden, 'more link')}, all in the CSV.`)
      : null,
  );
}
