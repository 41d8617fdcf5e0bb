import { METHOD_TRAITS } from '@voting/domain';
import { getJson, type RoundList, type RoundView } from '../lib/api.ts';
import type { Endpoints } from '../lib/config.ts';
import { formatDateTime, h, notice, replace } from '../lib/dom.ts';
import { explain, runPage } from '../lib/page.ts';
import { type AdminEntry, adminTokens, type ReceiptEntry, votedRounds } from '../lib/storage.ts';

/**
 * The listed open rounds (GET /rounds), and apart from them the rounds this browser created or
 * voted in: an unlisted round is in no list on the server, so for its organizer and its voters
 * this browser's memory is how they find it again.
 */
runPage(async (endpoints, root) => {
  const open = h('ul', { class: 'round-list', 'aria-live': 'polite', 'aria-busy': 'true' });
  const more = h('div', { class: 'more' });

  replace(
    root,
    h(
      'section',
      { class: 'intro' },
      h('h1', null, 'Votes'),
      h(
        'p',
        { class: 'lead' },
        'Create a round, share its link or QR code, and watch the results arrive live.',
      ),
      h('a', { class: 'button primary', href: endpoints.page('new') }, 'Create a round'),
    ),
    createdHere(endpoints, Object.entries(adminTokens())),
    votedHere(endpoints, Object.entries(votedRounds())),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'open-heading' },
      h('h2', { id: 'open-heading' }, 'Open rounds'),
      h('p', { class: 'hint section-hint' }, 'Rounds their organizers chose to list here.'),
      open,
      more,
    ),
  );

  await loadPage(endpoints, open, more, null);
});

function createdHere(endpoints: Endpoints, mine: [string, AdminEntry][]): HTMLElement | null {
  if (mine.length === 0) return null;
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'mine-heading' },
    h('h2', { id: 'mine-heading' }, 'Rounds you created here'),
    h(
      'ul',
      { class: 'round-list' },
      mine.map(([roundId, entry]) =>
        h(
          'li',
          null,
          h(
            'span',
            { class: 'round-name' },
            entry.name,
            h(
              'span',
              { class: 'round-meta' },
              [
                entry.voters === 'invited' ? 'invited voters' : null,
                entry.listed === false ? 'not listed' : null,
              ]
                .filter(Boolean)
                .join(' · '),
            ),
          ),
          h(
            'span',
            { class: 'round-links' },
            h(
              'a',
              { href: endpoints.page(`r/${roundId}/manage`), 'aria-label': `Manage ${entry.name}` },
              'Manage',
            ),
            h(
              'a',
              {
                href: endpoints.page(`r/${roundId}/results`),
                'aria-label': `Results of ${entry.name}`,
              },
              'Results',
            ),
          ),
        ),
      ),
    ),
  );
}

function votedHere(endpoints: Endpoints, voted: [string, ReceiptEntry][]): HTMLElement | null {
  if (voted.length === 0) return null;
  const newestFirst = [...voted].sort(([, a], [, b]) => b.at.localeCompare(a.at));
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'voted-heading' },
    h('h2', { id: 'voted-heading' }, 'Rounds you voted in'),
    h(
      'ul',
      { class: 'round-list' },
      newestFirst.map(([roundId, entry]) => {
        // Receipts kept before names were remembered have none: the id's start tells them apart.
        const name = entry.name ?? `Round ${roundId.slice(0, 8)}`;
        return h(
          'li',
          null,
          h(
            'span',
            { class: 'round-name' },
            h('a', { href: endpoints.page(`r/${roundId}`) }, name),
            h('span', { class: 'round-meta' }, `voted ${formatDateTime(entry.at)}`),
          ),
          h(
            'span',
            { class: 'round-links' },
            h(
              'a',
              { href: endpoints.page(`r/${roundId}/results`), 'aria-label': `Results of ${name}` },
              'Results',
            ),
          ),
        );
      }),
    ),
  );
}

async function loadPage(
  endpoints: Endpoints,
  list: HTMLElement,
  more: HTMLElement,
  cursor: string | null,
): Promise<void> {
  const query = `?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
  let page: RoundList;
  try {
    page = await getJson<RoundList>(endpoints.vote(`/rounds${query}`));
  } catch (error) {
    replace(more, notice('error', explain(error)));
    return;
  } finally {
    list.setAttribute('aria-busy', 'false');
  }
  if (page.rounds.length === 0 && cursor === null) {
    replace(list, h('li', { class: 'muted' }, 'No open rounds listed right now.'));
  }
  list.append(...page.rounds.map((round) => roundItem(endpoints, round)));
  replace(
    more,
    page.next_cursor
      ? h(
          'button',
          {
            type: 'button',
            class: 'button secondary',
            onclick: () => loadPage(endpoints, list, more, page.next_cursor),
          },
          'Show more',
        )
      : null,
  );
}

function roundItem(endpoints: Endpoints, round: RoundView): HTMLElement {
  return h(
    'li',
    null,
    h(
      'span',
      { class: 'round-name' },
      h('a', { href: endpoints.page(`r/${round.round_id}`) }, round.name),
      h(
        'span',
        { class: 'round-meta' },
        METHOD_TRAITS[round.method].name,
        round.voters === 'invited' ? ' · invited voters only' : '',
        round.closes_at ? ` · closes ${formatDateTime(round.closes_at)}` : '',
      ),
    ),
    h(
      'span',
      { class: 'round-links' },
      h(
        'a',
        { href: endpoints.page(`r/${round.round_id}`), 'aria-label': `Vote in ${round.name}` },
        'Vote',
      ),
      h(
        'a',
        {
          href: endpoints.page(`r/${round.round_id}/results`),
          'aria-label': `Results of ${round.name}`,
        },
        'Results',
      ),
    ),
  );
}
