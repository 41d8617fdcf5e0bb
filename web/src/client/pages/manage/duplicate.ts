import { bearer, type CreatedRound, postJson } from '../../lib/api.ts';
import type { Endpoints } from '../../lib/config.ts';
import { bdi, h, notice, replace } from '../../lib/dom.ts';
import { t, tx } from '../../lib/i18n.ts';
import { explain } from '../../lib/page.ts';
import { copyField } from '../../lib/share.ts';
import { rememberAdminToken } from '../../lib/storage.ts';

/**
 * "Duplicate the round": a new round with this one's settings, its own id and admin token, and
 * no ballots. Its links are shown here, the admin one only this once, and this browser keeps
 * the token as it keeps a round created on the create page, so the copy is under "Rounds you
 * created here" and its manage page opens without asking.
 */
export function duplicateCard(endpoints: Endpoints, roundId: string, token: string): HTMLElement {
  const outcome = h('div', { class: 'duplicate-outcome' });
  const start = h(
    'button',
    {
      type: 'button',
      class: 'button secondary',
      onclick: async () => {
        start.disabled = true;
        start.textContent = t('duplicate.working');
        try {
          const copy = await postJson<CreatedRound>(
            endpoints.vote(`/rounds/${roundId}/duplicate`),
            {},
            bearer(token),
          );
          rememberAdminToken(copy.round_id, {
            token: copy.admin_token,
            name: copy.name,
            voters: copy.voters,
            listed: copy.listed,
          });
          replace(outcome, copyLinks(endpoints, copy));
          outcome.querySelector('h3')?.focus();
        } catch (error) {
          replace(outcome, notice('error', t('duplicate.failed', { why: explain(error) })));
        } finally {
          start.disabled = false;
          start.textContent = t('duplicate.button');
        }
      },
    },
    t('duplicate.button'),
  );
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'duplicate-heading' },
    h('h2', { id: 'duplicate-heading' }, t('duplicate.heading')),
    h('p', { class: 'hint' }, t('duplicate.hint')),
    h('div', { class: 'button-row' }, start),
    outcome,
  );
}

/** The copy's voting link, and its admin link to keep private, with a way to manage it. */
function copyLinks(endpoints: Endpoints, copy: CreatedRound): HTMLElement {
  const voteLink = endpoints.page(`r/${copy.round_id}`);
  const manageLink = endpoints.page(`r/${copy.round_id}/manage#token=${copy.admin_token}`);
  return h(
    'div',
    { class: 'duplicated' },
    h('h3', { tabindex: -1 }, ...tx('duplicate.done', { name: bdi(copy.name) })),
    copyField(
      t('links.vote'),
      voteLink,
      copy.voters === 'invited' ? t('manage.invitedLink') : undefined,
    ),
    copyField(t('links.admin'), manageLink, t('duplicate.adminWhy')),
    h('a', { class: 'button primary', href: manageLink }, t('duplicate.manage')),
  );
}
