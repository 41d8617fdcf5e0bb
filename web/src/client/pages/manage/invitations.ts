import {
  bearer,
  deleteJson,
  type FullResult,
  getJson,
  type InvitationPage,
} from '../../lib/api.ts';
import type { Endpoints } from '../../lib/config.ts';
import { h, notice, replace } from '../../lib/dom.ts';
import { percent } from '../../lib/format.ts';
import { t } from '../../lib/i18n.ts';
import { explain } from '../../lib/page.ts';
import { invitationList } from './invitation-list.ts';
import { issueArea } from './issue.ts';

const PAGE_SIZE = 100;

export interface InvitationsSection {
  element: HTMLElement;
  /** The round as read again (closing, Refresh). */
  update(round: FullResult): void;
}

/**
 * The voter roll of an invited round: issue invitations, turnout (voted / eligible), who has
 * not voted yet, revoke unused invitations. Nothing here ever shows how anyone voted.
 */
export function invitationsSection(
  endpoints: Endpoints,
  round: FullResult,
  token: string,
): InvitationsSection {
  const base = endpoints.vote(`/rounds/${round.round_id}/invitations`);
  const turnout = h('div', { class: 'turnout', role: 'status', 'aria-live': 'polite' });
  const problem = h('div');
  const more = h('div', { class: 'more' });
  let closed = round.status === 'closed';

  const read = (query: string) => getJson<InvitationPage>(`${base}?${query}`, bearer(token));

  const showTurnout = ({ eligible, voted }: InvitationPage) => {
    const fill = h('span', { class: 'bar-fill' });
    // Set through the CSSOM: the Content-Security-Policy allows no inline style attribute.
    fill.style.width = `${eligible > 0 ? (voted / eligible) * 100 : 0}%`;
    const waiting = eligible - voted;
    replace(
      turnout,
      h(
        'p',
        { class: 'turnout-figure' },
        h('strong', null, t('turnout.of', { voted, eligible })),
        ' ',
        t('turnout.voted', { count: eligible }),
        eligible > 0 ? ` (${percent(voted / eligible)})` : '',
      ),
      h('span', { class: 'bar-track', 'aria-hidden': 'true' }, fill),
      h(
        'p',
        { class: 'hint' },
        eligible === 0
          ? t('turnout.none')
          : waiting === 0
            ? t('turnout.all')
            : t('turnout.waiting', { count: waiting }),
      ),
    );
  };

  const list = invitationList(
    async (invitationId) =>
      deleteJson<{ revoked_at: string }>(
        `${base}/${encodeURIComponent(invitationId)}`,
        bearer(token),
      ),
    // The counts changed: one entry is enough to read them again.
    () => void read('limit=1').then(showTurnout, () => undefined),
  );

  const load = async (cursor: string | null) => {
    try {
      const page = await read(
        `limit=${PAGE_SIZE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      replace(problem);
      showTurnout(page);
      list.show(page.invitations, cursor !== null);
      replace(
        more,
        page.next_cursor
          ? h(
              'button',
              {
                type: 'button',
                class: 'button secondary',
                onclick: () => load(page.next_cursor),
              },
              t('invitations.more'),
            )
          : null,
      );
    } catch (error) {
      replace(problem, notice('error', t('invitations.unreadable', { why: explain(error) })));
    }
  };

  const issuing = issueArea(base, token, round.round_id, () => void load(null));
  if (closed) {
    issuing.close();
    list.close();
  }
  void load(null);

  const element = h(
    'section',
    { class: 'card', 'aria-labelledby': 'invitations-heading' },
    h('h2', { id: 'invitations-heading' }, t('invitations.heading')),
    h('p', { class: 'hint section-hint' }, t('invitations.hint')),
    turnout,
    issuing.element,
    h(
      'div',
      { class: 'title-row roll-heading' },
      h('h3', null, t('invitations.who')),
      h(
        'button',
        { type: 'button', class: 'button secondary', onclick: () => load(null) },
        t('invitations.refresh'),
      ),
    ),
    problem,
    list.element,
    more,
  );

  return {
    element,
    update: (state) => {
      if (state.status === 'closed' && !closed) {
        closed = true;
        issuing.close();
        list.close();
      }
      void load(null);
    },
  };
}
