import type { CreatedRound } from '../../lib/api.ts';
import type { Endpoints } from '../../lib/config.ts';
import { bdi, h, replace } from '../../lib/dom.ts';
import { formatDateTime } from '../../lib/format.ts';
import { t, tx } from '../../lib/i18n.ts';
import { focusHeading, setTitle } from '../../lib/page.ts';
import { copyField, qrCode } from '../../lib/share.ts';
import { presentLink } from '../present/present-link.ts';

/** After creation: the links to share, and the admin link to keep. */
export function showCreated(endpoints: Endpoints, root: HTMLElement, round: CreatedRound): void {
  setTitle(round.name);
  const voteLink = endpoints.page(`r/${round.round_id}`);
  const resultsLink = endpoints.page(`r/${round.round_id}/results`);
  const manageLink = endpoints.page(`r/${round.round_id}/manage#token=${round.admin_token}`);
  replace(
    root,
    h(
      'h1',
      null,
      ...(round.status === 'scheduled' && round.opens_at
        ? tx('scheduled.created', {
            name: bdi(round.name),
            when: formatDateTime(round.opens_at),
          })
        : tx('created.heading', { name: bdi(round.name) })),
    ),
    round.voters === 'invited'
      ? inviteCard(manageLink)
      : h(
          'section',
          { class: 'card', 'aria-labelledby': 'share-heading' },
          h('h2', { id: 'share-heading' }, t('created.share')),
          h(
            'div',
            { class: 'share' },
            h(
              'div',
              { class: 'share-links' },
              copyField(t('links.vote'), voteLink),
              h('a', { class: 'button primary', href: voteLink }, t('created.openBallot')),
            ),
            h(
              'figure',
              { class: 'qr-figure' },
              qrCode(voteLink, t('links.qr')),
              h('figcaption', null, t('links.scan')),
            ),
          ),
        ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'results-heading' },
      h('h2', { id: 'results-heading' }, t('created.watch')),
      copyField(t('links.results'), resultsLink),
      h('a', { class: 'button secondary', href: resultsLink }, t('created.openResults')),
      presentLink(endpoints, round.round_id),
    ),
    h(
      'section',
      { class: 'card card-warning', 'aria-labelledby': 'admin-heading' },
      h('h2', { id: 'admin-heading' }, t('created.admin')),
      h('p', null, t('created.adminWhy')),
      copyField(t('links.admin'), manageLink),
      h('a', { class: 'button secondary', href: manageLink }, t('created.manage')),
    ),
  );
  // The form was long and the page scrolled down it: start the new page at its top, where its
  // heading and the voting link are (on a phone the view was left on half a QR code).
  window.scrollTo({ top: 0, left: 0, behavior: 'instant' });
  focusHeading(root);
}

/**
 * An invited round has no link to share with everyone: each voter needs their own, issued on
 * the manage page.
 */
function inviteCard(manageLink: string): HTMLElement {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'invite-heading' },
    h('h2', { id: 'invite-heading' }, t('created.invite')),
    h('p', null, t('created.inviteWhy')),
    h('a', { class: 'button primary', href: manageLink }, t('created.issue')),
  );
}
