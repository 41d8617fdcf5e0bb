import { checkText, isBlank } from '@voting/domain';
import { ApiError, bearer, type IssuedInvitation, postJson } from '../../lib/api.ts';
import { h, notice, replace } from '../../lib/dom.ts';
import { csvBlob, saveBlob } from '../../lib/download.ts';
import { clearFieldErrors, showFieldError } from '../../lib/field-errors.ts';
import { t } from '../../lib/i18n.ts';
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
    dir: 'auto',
    'aria-describedby': 'invite-names-count',
  });
  const namesCount = h('p', { class: 'hint', id: 'invite-names-count', 'aria-live': 'polite' });
  const countField = h(
    'div',
    { class: 'field issue-detail' },
    h('label', { for: 'invite-count' }, t('issue.howMany')),
    count,
  );
  const namesField = h(
    'div',
    { class: 'field issue-detail', hidden: true },
    h('label', { for: 'invite-names' }, t('issue.names')),
    names,
    namesCount,
  );
  const lines = () => names.value.split(/\r\n|\r|\n/).filter((line) => !isBlank(line));
  names.addEventListener('input', () => {
    namesCount.textContent = t('issue.nameCount', { count: lines().length });
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

  const submit = h('button', { type: 'submit', class: 'button primary' }, t('issue.submit'));
  const form = h(
    'form',
    { class: 'stack issue-form', novalidate: true },
    h(
      'fieldset',
      { class: 'choices' },
      h('legend', null, t('issue.submit')),
      mode('count', t('issue.byCount'), t('issue.byCountHint'), countField),
      mode('labels', t('issue.byName'), t('issue.byNameHint'), namesField),
    ),
    errors,
    submit,
  );

  /** The request body, or the problem with what was typed and the field it is about. */
  type Refusal = { problem: string; field: HTMLInputElement | HTMLTextAreaElement };
  const body = (): { count: number } | { labels: string[] } | Refusal => {
    if (form.querySelector<HTMLInputElement>('input[name=issue-mode]:checked')?.value === 'count') {
      const n = Number(count.value);
      if (!Number.isInteger(n) || n < 1 || n > MAX_PER_REQUEST) {
        return { problem: t('issue.countRange', { max: MAX_PER_REQUEST }), field: count };
      }
      return { count: n };
    }
    const labels: string[] = [];
    for (const [index, line] of lines().entries()) {
      // The server's own text rule, asked before sending (the message names the line at fault).
      const checked = checkText(line, `Name ${index + 1}`);
      if (!checked.ok) {
        const key = checked.reason === 'too_long' ? 'issue.nameTooLong' : 'issue.nameForbidden';
        return { problem: t(key, { n: index + 1, max: 200 }), field: names };
      }
      labels.push(checked.text);
    }
    if (labels.length === 0) return { problem: t('issue.namesNone'), field: names };
    if (labels.length > MAX_PER_REQUEST) {
      return {
        problem: t('issue.namesTooMany', { max: MAX_PER_REQUEST, count: labels.length }),
        field: names,
      };
    }
    return { labels };
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const request = body();
    clearFieldErrors(form);
    if ('problem' in request) {
      // Under its field, tied to it; the field takes the focus, so the error is read at once.
      showFieldError(request.field, request.problem);
      replace(errors);
      request.field.focus();
      return;
    }
    replace(errors);
    submit.disabled = true;
    submit.textContent = t('issue.issuing');
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
      replace(errors, notice('error', t('issue.failed', { why: refusal(error) })));
      errors.focus();
    } finally {
      submit.disabled = false;
      submit.textContent = t('issue.submit');
    }
  });

  const element = h('div', { class: 'issue-area' }, form, batches);
  return {
    element,
    close: () => {
      form.replaceWith(notice('info', t('issue.closed')));
    },
  };
}

function refusal(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'round_closed') return t('vote.closed');
    if (error.code === 'round_not_invited') return t('issue.notInvited');
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
        status.textContent = t('issue.csvDone');
        guard.saved();
      },
    },
    t('issue.csv'),
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
        status.textContent = t(copied ? 'issue.copiedAll' : 'issue.copyFailed');
        if (copied) guard.saved();
      },
    },
    t('issue.copyAll'),
  );
  const hidden = invitations.length - SHOWN;
  return h(
    'section',
    { class: 'issued-batch', 'aria-labelledby': `${stamp}-heading` },
    h(
      'h3',
      { id: `${stamp}-heading`, tabindex: -1 },
      t('issue.batch', { count: invitations.length }),
    ),
    h('p', null, h('strong', null, t('issue.once')), ' ', t('issue.onceWhy')),
    h('div', { class: 'button-row' }, download, copyAll),
    status,
    h(
      'ol',
      { class: 'issued-links' },
      invitations
        .slice(0, SHOWN)
        .map((invitation, index) =>
          linkRow(invitation.label || t('issue.unnamed', { n: index + 1 }), invitation.url),
        ),
    ),
    hidden > 0 ? h('p', { class: 'hint' }, t('issue.more', { count: hidden })) : null,
  );
}
