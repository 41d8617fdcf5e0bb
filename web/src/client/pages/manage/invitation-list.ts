import { ApiError, type InvitationEntry } from '../../lib/api.ts';
import { bdi, h, notice, replace } from '../../lib/dom.ts';
import { formatDateTime } from '../../lib/format.ts';
import { t, tx } from '../../lib/i18n.ts';
import { explain } from '../../lib/page.ts';

export interface InvitationList {
  element: HTMLElement;
  /** Shows these invitations, after the ones shown already when `more`. */
  show(entries: InvitationEntry[], more: boolean): void;
  /** The round closed: revoking means nothing any more. */
  close(): void;
}

/**
 * Who was invited and who has voted (never how): one row per invitation, with a Revoke button
 * (and a confirmation step) on those not used yet. `revoke` asks the server; `changed` runs
 * after a revocation or a refusal that changed the counts.
 */
export function invitationList(
  revoke: (invitationId: string) => Promise<{ revoked_at: string }>,
  changed: () => void,
): InvitationList {
  let open = true;
  const list = h('ul', { class: 'invitation-list' });
  const waitingOnly = h('input', {
    id: 'waiting-only',
    type: 'checkbox',
    onchange: () => list.classList.toggle('waiting-only', waitingOnly.checked),
  });

  const name = (entry: InvitationEntry) => entry.label || t('invitations.noName');

  /** `usedNow`: the server said it is used, without saying when. */
  const row = (entry: InvitationEntry, usedNow = false): HTMLLIElement => {
    const state = entry.revoked_at ? 'revoked' : entry.used_at || usedNow ? 'voted' : 'waiting';
    const item = h(
      'li',
      { class: 'invitation', 'data-state': state, tabindex: -1 },
      h(
        'div',
        { class: 'invitation-who' },
        h(
          'span',
          { class: entry.label ? 'invitation-name' : 'invitation-name muted', dir: 'auto' },
          name(entry),
        ),
        h(
          'span',
          { class: 'round-meta' },
          t('invitations.issued', { when: formatDateTime(entry.issued_at) }),
        ),
      ),
      h(
        'span',
        { class: `invitation-state state-${state}` },
        state === 'revoked'
          ? t('invitations.revokedAt', { when: formatDateTime(entry.revoked_at) })
          : state === 'voted'
            ? entry.used_at
              ? t('invitations.votedAt', { when: formatDateTime(entry.used_at) })
              : t('invitations.voted')
            : t('invitations.notYet'),
      ),
    );
    if (state === 'waiting' && open) offerRevoke(entry, item);
    return item;
  };

  const offerRevoke = (entry: InvitationEntry, item: HTMLLIElement) => {
    const confirmArea = h('div', { class: 'invitation-confirm' });
    const ask: HTMLButtonElement = h(
      'button',
      {
        type: 'button',
        class: 'button secondary revoke',
        'aria-label': t('revoke.label', { name: name(entry) }),
        onclick: () => {
          ask.hidden = true;
          replace(
            confirmArea,
            h(
              'p',
              null,
              h('strong', null, ...tx('revoke.ask', { name: bdi(name(entry)) })),
              ' ',
              t('revoke.askWhy'),
            ),
            h('div', { class: 'button-row' }, confirm, cancel),
          );
          confirm.focus();
        },
      },
      t('revoke.button'),
    );
    const cancel = h(
      'button',
      {
        type: 'button',
        class: 'button secondary',
        onclick: () => {
          replace(confirmArea);
          ask.hidden = false;
          ask.focus();
        },
      },
      t('common.cancel'),
    );
    const confirm = h(
      'button',
      {
        type: 'button',
        class: 'button danger',
        onclick: async () => {
          confirm.disabled = true;
          try {
            const answer = await revoke(entry.invitation_id);
            settle({ ...entry, revoked_at: answer.revoked_at }, null);
          } catch (error) {
            confirm.disabled = false;
            if (error instanceof ApiError && error.code === 'invitation_used') {
              settle(
                entry,
                notice(
                  'warning',
                  h('strong', null, ...tx('revoke.used', { name: bdi(name(entry)) })),
                  ' ',
                  t('revoke.usedWhy'),
                ),
                true,
              );
              return;
            }
            const why =
              error instanceof ApiError && error.code === 'invitation_not_found'
                ? t('revoke.gone')
                : explain(error);
            replace(confirmArea, notice('error', t('revoke.failed', { why })));
            ask.hidden = false;
            ask.focus();
          }
        },
      },
      t('revoke.yes'),
    );
    item.append(ask, confirmArea);

    /** The row after an answer: drawn again from what is now known, with the answer's words. */
    const settle = (now: InvitationEntry, message: HTMLElement | null, usedNow = false): void => {
      const fresh = row(now, usedNow);
      if (message) fresh.append(message);
      item.replaceWith(fresh);
      // The button that had focus is gone: keep keyboard users on the row it belonged to.
      fresh.focus();
      changed();
    };
  };

  return {
    element: h(
      'div',
      { class: 'invitation-roll' },
      h(
        'div',
        { class: 'choice' },
        waitingOnly,
        h('label', { for: 'waiting-only' }, t('invitations.waitingOnly')),
      ),
      list,
    ),
    show: (entries, more) => {
      if (!more) replace(list);
      if (!more && entries.length === 0) {
        list.append(h('li', { class: 'muted' }, t('invitations.empty')));
      }
      list.append(...entries.map((entry) => row(entry)));
    },
    close: () => {
      open = false;
      for (const element of list.querySelectorAll('.revoke, .invitation-confirm')) element.remove();
    },
  };
}
