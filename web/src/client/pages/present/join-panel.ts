import { joinCodeHalves } from '@voting/domain';
import type { Endpoints } from '../../lib/config.ts';
import { h, replace } from '../../lib/dom.ts';
import { formatDateTime } from '../../lib/format.ts';
import { t } from '../../lib/i18n.ts';
import type { StreamedRound } from '../../lib/live-results.ts';
import { qrCode } from '../../lib/share.ts';

export interface JoinPanel {
  element: HTMLElement;
  /** Shows how to join the round as it now is (nothing once it is closed). */
  show(round: StreamedRound): void;
}

/**
 * How the room joins: a large QR code of the voting link, the address to type (`<host>/j/CODE`,
 * on the vote service's public URL, which serves `/j/`; a loopback URL takes the host name this
 * page was opened by, as every shared link does) and the code in big letters, for the home
 * page's field. A round from before join codes shows its voting link instead; an invited round,
 * whose plain link cannot vote, only says so; a closed round, nothing.
 */
export function joinPanel(endpoints: Endpoints, roundId: string): JoinPanel {
  const element = h('section', { class: 'presenter-join', 'aria-labelledby': 'join-heading' });
  const voteLink = endpoints.page(`r/${roundId}`);
  let drawn = '';

  const show = (round: StreamedRound) => {
    element.hidden = round.status === 'closed';
    // Every result event calls this: the QR code is drawn again only when what it shows changed.
    const key = [round.status, round.voters, round.join_code, round.opens_at].join(' ');
    if (key === drawn) return;
    drawn = key;
    if (round.status === 'closed') {
      replace(element);
      return;
    }
    const opens =
      round.status === 'scheduled' && round.opens_at
        ? h(
            'p',
            { class: 'join-opens' },
            t('present.opens', { when: formatDateTime(round.opens_at) }),
          )
        : null;
    if (round.voters === 'invited') {
      replace(element, heading(), h('p', { class: 'join-lead' }, t('present.invited')), opens);
      return;
    }
    const qr = h('div', { class: 'join-qr' }, qrCode(voteLink, t('links.qr')));
    if (!round.join_code) {
      replace(
        element,
        heading(),
        qr,
        h('p', { class: 'join-lead' }, t('present.scanOrOpen')),
        h(
          'p',
          { class: 'join-url', dir: 'ltr' },
          h('a', { href: voteLink }, withoutScheme(voteLink)),
        ),
        opens,
      );
      return;
    }
    const joinUrl = endpoints.vote(`/j/${round.join_code}`);
    const shown = withoutScheme(joinUrl);
    const [first, second] = joinCodeHalves(round.join_code);
    replace(
      element,
      heading(),
      qr,
      h('p', { class: 'join-lead' }, t('present.scanOrGo')),
      h(
        'p',
        { class: 'join-url', dir: 'ltr' },
        h(
          'a',
          { href: joinUrl },
          // A narrow column breaks the line before "/j/" rather than inside the host or the code.
          shown.slice(0, -(round.join_code.length + 3)),
          h('wbr'),
          '/j/',
          h('strong', null, round.join_code),
        ),
      ),
      h('p', { class: 'join-code-label' }, t('present.code')),
      // In two halves, as people read it aloud; copied, it is the code without a space.
      h('p', { class: 'join-code', dir: 'ltr' }, h('span', null, first), h('span', null, second)),
      opens,
    );
  };
  return { element, show };
}

const heading = () => h('h2', { id: 'join-heading' }, t('present.join'));

/** `https://votes.example.org/j/K7MQ2P` as a person types it: `votes.example.org/j/K7MQ2P`. */
const withoutScheme = (url: string) => url.replace(/^https?:\/\//, '');
