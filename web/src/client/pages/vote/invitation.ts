import { h, notice } from '../../lib/dom.ts';
import { t } from '../../lib/i18n.ts';

/**
 * The invitation code of an invited round, which an invitation link carries in its fragment
 * (`/r/:id#code=…`): browsers never send a fragment to a server nor put it in a Referer, so the
 * code is in no access log. It is read once, taken out of the address bar at once (so it is not
 * in the history, a bookmark or a shared screenshot of the URL), kept in memory only and sent as
 * X-Invitation-Code. Never from the query string, which servers log.
 */
export function takeInvitationCode(): string | null {
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  if (!fragment.has('code')) return null;
  const code = fragment.get('code')?.trim() ?? '';
  fragment.delete('code');
  const rest = fragment.toString();
  window.history.replaceState(
    window.history.state,
    '',
    `${window.location.pathname}${window.location.search}${rest ? `#${rest}` : ''}`,
  );
  return code;
}

/**
 * Whether the code can be sent at all. A code is base64url; anything else (a link cut short by a
 * mail program, an accent pasted in) cannot be a code, and some of it could not even travel in an
 * HTTP header (fetch would refuse it, which the page would take for a network failure).
 */
export function looksLikeCode(code: string): boolean {
  return /^[A-Za-z0-9_-]{1,200}$/.test(code);
}

/**
 * Another invitation link opened in this tab changes only the fragment, which loads nothing:
 * load the page again so that it reads the new code like the first.
 */
export function reloadOnNewCode(): void {
  window.addEventListener('hashchange', () => {
    if (new URLSearchParams(window.location.hash.slice(1)).has('code')) window.location.reload();
  });
}

/** What the vote page says instead of a ballot or after a refusal, in the voter's words. */
export function invitationRequired(): HTMLElement {
  return notice(
    'warning',
    h('p', null, h('strong', null, t('invite.required'))),
    h('p', null, t('invite.requiredWhy')),
  );
}

export function invitationInvalid(): HTMLElement {
  return notice(
    'error',
    h('p', null, h('strong', null, t('invite.invalid'))),
    h('p', null, t('invite.invalidWhy')),
  );
}

export function invitationUsed(allowRevote: boolean): HTMLElement {
  return notice(
    'warning',
    h('p', null, h('strong', null, t('invite.used'))),
    h('p', null, t(allowRevote ? 'invite.usedStands' : 'invite.usedFirst')),
  );
}

/** Replaces "One browser = one ballot" in an invited round: the invitation is the ballot. */
export function invitedNotice(allowRevote: boolean): HTMLElement {
  return h(
    'p',
    { class: 'notice notice-info one-ballot' },
    h('strong', null, t('invite.youAre')),
    ' ',
    t('invite.oneBallot'),
    ' ',
    t(allowRevote ? 'invite.revote' : 'vote.final'),
  );
}
