import { getJson, type RoundList, type RoundView } from '../lib/api.ts';
import type { Endpoints } from '../lib/config.ts';
import { h, notice, replace } from '../lib/dom.ts';
import { formatDateTime } from '../lib/format.ts';
import { t } from '../lib/i18n.ts';
import { joinForm } from '../lib/join-form.ts';
import { methodName } from '../lib/methods.ts';
import { explain, runPage } from '../lib/page.ts';
import { type AdminEntry, adminTokens, type ReceiptEntry, votedRounds } from '../lib/storage.ts';

/**
 * The listed open rounds (GET /rounds), and apart from them the rounds this browser created or
 * voted in: an unlisted round is in no list on the server, so for its organizer and its voters
 * this browser's memory is how they find it again.
 */
runPage(async (endpoints, root) => {
  document.title = t('home.title');
  const open = h('ul', { class: 'round-list', 'aria-live': 'polite', 'aria-busy': 'true' });
  const more = h('div', { class: 'more' });

  replace(
    root,
    h(
      'section',
      { class: 'intro' },
      h('h1', null, t('home.heading')),
      h('p', { class: 'lead' }, t('home.lead')),
      h('a', { class: 'button primary', href: endpoints.page('new') }, t('shell.create')),
    ),
    // Where a person lands who was told "go to … and enter the code" (presenter view).
    h('div', { class: 'card join-card' }, joinForm(endpoints)),
    createdHere(endpoints, Object.entries(adminTokens())),
    votedHere(endpoints, Object.entries(votedRounds())),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'open-heading' },
      h('h2', { id: 'open-heading' }, t('home.open')),
      h('p', { class: 'hint section-hint' }, t('home.openHint')),
      open,
      more,
    ),
  );

  await loadPage(endpoints, open, more, null);
});

/** A round's name (the organizer's text, in its own direction) and a line under it. */
function nameAndMeta(name: HTMLElement | string, meta: string): HTMLElement {
  return h('span', { class: 'round-name' }, name, h('span', { class: 'round-meta' }, meta));
}

function links(...items: [string, string, string][]): HTMLElement {
  return h(
    'span',
    { class: 'round-links' },
    items.map(([text, href, label]) => h('a', { href, 'aria-label': label }, text)),
  );
}

function createdHere(endpoints: Endpoints, mine: [string, AdminEntry][]): HTMLElement | null {
  if (mine.length === 0) return null;
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'mine-heading' },
    h('h2', { id: 'mine-heading' }, t('home.created')),
    h(
      'ul',
      { class: 'round-list' },
      mine.map(([roundId, entry]) =>
        h(
          'li',
          null,
          nameAndMeta(
            h('span', { dir: 'auto' }, entry.name),
            [
              entry.voters === 'invited' ? t('home.invitedVoters') : null,
              entry.listed === false ? t('home.notListed') : null,
            ]
              .filter(Boolean)
              .join(' · '),
          ),
          links(
            [
              t('home.manage'),
              endpoints.page(`r/${roundId}/manage`),
              t('home.manageOf', { name: entry.name }),
            ],
            [
              t('home.results'),
              endpoints.page(`r/${roundId}/results`),
              t('home.resultsOf', { name: entry.name }),
            ],
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
    h('h2', { id: 'voted-heading' }, t('home.voted')),
    h(
      'ul',
      { class: 'round-list' },
      newestFirst.map(([roundId, entry]) => {
        // Receipts kept before names were remembered have none: the id's start tells them apart.
        const name = entry.name ?? t('home.unnamed', { id: roundId.slice(0, 8) });
        return h(
          'li',
          null,
          nameAndMeta(
            h('a', { href: endpoints.page(`r/${roundId}`), dir: 'auto' }, name),
            t('home.votedAt', { when: formatDateTime(entry.at) }),
          ),
          links([
            t('home.results'),
            endpoints.page(`r/${roundId}/results`),
            t('home.resultsOf', { name }),
          ]),
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
    replace(list, h('li', { class: 'muted' }, t('home.none')));
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
          t('home.more'),
        )
      : null,
  );
}

function roundItem(endpoints: Endpoints, round: RoundView): HTMLElement {
  const meta = [
    methodName(round.method),
    round.voters === 'invited' ? t('vote.invitedOnly') : null,
    round.status === 'scheduled'
      ? t('scheduled.opens', { when: formatDateTime(round.opens_at) })
      : null,
    round.closes_at ? t('vote.closes', { when: formatDateTime(round.closes_at) }) : null,
  ];
  return h(
    'li',
    null,
    nameAndMeta(
      h('a', { href: endpoints.page(`r/${round.round_id}`), dir: 'auto' }, round.name),
      meta.filter(Boolean).join(' · '),
    ),
    links(
      [
        t('home.vote'),
        endpoints.page(`r/${round.round_id}`),
        t('home.voteIn', { name: round.name }),
      ],
      [
        t('home.results'),
        endpoints.page(`r/${round.round_id}/results`),
        t('home.resultsOf', { name: round.name }),
      ],
    ),
  );
}
