import type { CreatedRound } from '../../lib/api.ts';
import type { Endpoints } from '../../lib/config.ts';
import { h, replace } from '../../lib/dom.ts';
import { focusHeading, setTitle } from '../../lib/page.ts';
import { copyField, qrCode } from '../../lib/share.ts';

/** After creation: the links to share, and the admin link to keep. */
export function showCreated(endpoints: Endpoints, root: HTMLElement, round: CreatedRound): void {
  setTitle(round.name);
  const voteLink = endpoints.page(`r/${round.round_id}`);
  const resultsLink = endpoints.page(`r/${round.round_id}/results`);
  const manageLink = endpoints.page(`r/${round.round_id}/manage#token=${round.admin_token}`);
  replace(
    root,
    h('h1', null, `“${round.name}” is open for votes`),
    round.voters === 'invited'
      ? inviteCard(manageLink)
      : h(
          'section',
          { class: 'card', 'aria-labelledby': 'share-heading' },
          h('h2', { id: 'share-heading' }, 'Share it with the voters'),
          h(
            'div',
            { class: 'share' },
            h(
              'div',
              { class: 'share-links' },
              copyField('Voting link', voteLink),
              h('a', { class: 'button primary', href: voteLink }, 'Open the ballot'),
            ),
            h(
              'figure',
              { class: 'qr-figure' },
              qrCode(voteLink, 'QR code of the voting link'),
              h('figcaption', null, 'Scan to vote'),
            ),
          ),
        ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'results-heading' },
      h('h2', { id: 'results-heading' }, 'Watch the results'),
      copyField('Results link', resultsLink),
      h('a', { class: 'button secondary', href: resultsLink }, 'Open the results'),
    ),
    h(
      'section',
      { class: 'card card-warning', 'aria-labelledby': 'admin-heading' },
      h('h2', { id: 'admin-heading' }, 'Your admin link: keep it private'),
      h(
        'p',
        null,
        'Whoever has this link can close the round and download its ballots. It is shown only now; this browser keeps it too, under “Rounds you created here” on the home page.',
      ),
      copyField('Admin link', manageLink),
      h('a', { class: 'button secondary', href: manageLink }, 'Manage the round'),
    ),
  );
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
    h('h2', { id: 'invite-heading' }, 'Next: invite the voters'),
    h(
      'p',
      null,
      'Only people with an invitation can vote. Issue the invitations on the manage page: one personal link per voter, each good for one ballot. Then send each voter their own link.',
    ),
    h('a', { class: 'button primary', href: manageLink }, 'Issue invitations'),
  );
}
