import { METHOD_TRAITS } from '@voting/domain';
import { ApiError, bearer, type FullResult, getJson } from '../lib/api.ts';
import { type Endpoints, roundIdFromLocation } from '../lib/config.ts';
import { formatDateTime, h, liveRegion, notice, replace } from '../lib/dom.ts';
import { explain, focusHeading, runPage, setTitle } from '../lib/page.ts';
import { resultView, statusBadge } from '../lib/results-view.ts';
import { resultsArePublic } from '../lib/round-rules.ts';
import { copyField, qrCode } from '../lib/share.ts';
import { adminToken, forgetAdminToken, rememberAdminToken } from '../lib/storage.ts';
import { closeControl } from './manage/close.ts';
import { downloadsCard } from './manage/downloads.ts';
import { invitationsSection } from './manage/invitations.ts';

/**
 * The organizer's page. The admin token comes in the URL fragment (`#token=…`), which browsers
 * never send to a server, so it stays out of every access log; the page keeps it in
 * localStorage and takes it out of the address bar.
 */
runPage(async (endpoints, root) => {
  const roundId = roundIdFromLocation();
  const fromFragment = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (fromFragment) {
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  const token = fromFragment ?? adminToken(roundId);
  if (!token) {
    askForToken(endpoints, root, roundId, null);
    return;
  }
  await show(endpoints, root, roundId, token, fromFragment !== null);
});

async function show(
  endpoints: Endpoints,
  root: HTMLElement,
  roundId: string,
  token: string,
  fresh: boolean,
): Promise<void> {
  let result: FullResult;
  try {
    // Results hidden until close are shown to the admin only, so there a wrong token is found
    // out at once; elsewhere it shows when closing is refused.
    result = await getJson<FullResult>(endpoints.vote(`/rounds/${roundId}`), bearer(token));
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
      if (!fresh) forgetAdminToken(roundId);
      askForToken(endpoints, root, roundId, 'That admin token does not belong to this round.');
      return;
    }
    throw error;
  }
  rememberAdminToken(roundId, {
    token,
    name: result.name,
    voters: result.voters,
    listed: result.listed,
  });
  setTitle(`Manage ${result.name}`);
  render(endpoints, root, result, token);
}

function askForToken(
  endpoints: Endpoints,
  root: HTMLElement,
  roundId: string,
  problem: string | null,
): void {
  const input = h('input', {
    id: 'admin-token',
    type: 'password',
    autocomplete: 'off',
    spellcheck: 'false',
  });
  const form = h(
    'form',
    { class: 'stack' },
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'admin-token' }, 'Admin token'),
      input,
      h(
        'p',
        { class: 'hint' },
        'The part after #token= in the admin link you got when you created the round.',
      ),
    ),
    h('button', { type: 'submit', class: 'button primary' }, 'Continue'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = input.value.trim().replace(/^.*#token=/, '');
    if (value) void show(endpoints, root, roundId, value, true);
  });
  replace(
    root,
    h('h1', null, 'Manage a round'),
    problem ? notice('error', problem) : null,
    h('p', null, 'This page needs the round’s admin link or token.'),
    form,
  );
  focusHeading(root);
}

function render(endpoints: Endpoints, root: HTMLElement, result: FullResult, token: string): void {
  const id = result.round_id;
  const invited = result.voters === 'invited';
  const voteLink = endpoints.page(`r/${id}`);
  const resultsLink = endpoints.page(`r/${id}/results`);
  const manageLink = endpoints.page(`r/${id}/manage#token=${token}`);
  const announcer = liveRegion();
  const snapshot = h('div', { class: 'snapshot' });
  const readRound = () => getJson<FullResult>(endpoints.vote(`/rounds/${id}`), bearer(token));

  // The round as last read: closing and Refresh update every part from it.
  let current = result;
  const update = (latest: FullResult) => {
    current = latest;
    showSnapshot(latest);
    close.show(latest);
    invitations?.update(latest);
  };
  const close = closeControl(endpoints.vote(`/rounds/${id}/close`), token, async () => {
    announcer.textContent = 'The round is closed.';
    try {
      const fresh = await readRound();
      update(fresh);
      return fresh;
    } catch {
      return null;
    }
  });
  const invitations = invited ? invitationsSection(endpoints, result, token) : null;

  const showSnapshot = (latest: FullResult) => {
    replace(
      snapshot,
      h(
        'div',
        { class: 'title-row' },
        h('h2', { id: 'snapshot-heading' }, 'Results now'),
        statusBadge(latest),
      ),
      !resultsArePublic(latest)
        ? h('p', { class: 'hint' }, 'Only you see these until the round closes.')
        : null,
      resultView(latest),
      h(
        'button',
        {
          type: 'button',
          class: 'button secondary',
          onclick: async () => {
            try {
              update(await readRound());
              announcer.textContent = 'Results refreshed.';
            } catch (error) {
              announcer.textContent = explain(error);
            }
          },
        },
        'Refresh',
      ),
    );
  };

  replace(
    root,
    h(
      'div',
      { class: 'title-row' },
      h('h1', null, result.name),
      h('span', { class: 'badge badge-admin' }, 'Admin'),
    ),
    h(
      'p',
      { class: 'meta' },
      METHOD_TRAITS[result.method].name,
      ` · created ${formatDateTime(result.created_at)}`,
      result.closes_at ? ` · closes by itself ${formatDateTime(result.closes_at)}` : '',
      invited ? ' · invited voters only' : '',
      result.listed ? ' · listed on the home page' : ' · not listed',
      result.allow_revote ? ' · revoting allowed' : '',
      result.results_visibility === 'after_close' ? ' · results after close' : ' · live results',
    ),
    announcer,
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'close-heading' },
      h('h2', { id: 'close-heading' }, 'Voting'),
      close.element,
    ),
    invitations?.element,
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'links-heading' },
      h('h2', { id: 'links-heading' }, 'Links'),
      h(
        'div',
        { class: 'share' },
        h(
          'div',
          { class: 'share-links' },
          copyField(
            'Voting link',
            voteLink,
            invited
              ? 'Shows the ballot, but only an invitation link can vote: send voters theirs.'
              : undefined,
          ),
          copyField('Results link', resultsLink),
        ),
        // An invited round's plain link cannot vote: a QR code of it would only mislead.
        invited
          ? null
          : h(
              'figure',
              { class: 'qr-figure' },
              qrCode(voteLink, 'QR code of the voting link'),
              h('figcaption', null, 'Scan to vote'),
            ),
      ),
      copyField('Admin link', manageLink, 'Keep this one private: it can close the round.'),
    ),
    downloadsCard(endpoints, id, token, () => current),
    h('section', { class: 'card', 'aria-labelledby': 'snapshot-heading' }, snapshot),
    h('p', { class: 'page-links' }, h('a', { href: resultsLink }, 'Open the live results page')),
  );
  close.show(result);
  showSnapshot(result);
}
