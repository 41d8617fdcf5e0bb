import { METHOD_TRAITS } from '@voting/domain';
import { ApiError, bearer, type FullResult, getJson, postJson, request } from '../lib/api.ts';
import { type Endpoints, roundIdFromLocation } from '../lib/config.ts';
import { formatDateTime, h, liveRegion, notice, replace } from '../lib/dom.ts';
import { explain, focusHeading, runPage, setTitle } from '../lib/page.ts';
import { resultView, statusBadge } from '../lib/results-view.ts';
import { ballotsArePublic, resultsArePublic } from '../lib/round-rules.ts';
import { copyField, qrCode } from '../lib/share.ts';
import { adminToken, forgetAdminToken, rememberAdminToken } from '../lib/storage.ts';

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
  rememberAdminToken(roundId, { token, name: result.name });
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
  const voteLink = endpoints.page(`r/${id}`);
  const resultsLink = endpoints.page(`r/${id}/results`);
  const manageLink = endpoints.page(`r/${id}/manage#token=${token}`);
  const announcer = liveRegion();
  const closeArea = h('div', { class: 'close-area' });
  const snapshot = h('div', { class: 'snapshot' });
  const downloadStatus = h('p', { class: 'hint', role: 'status', 'aria-live': 'polite' });

  // The round as last read: closing and Refresh update it.
  let current = result;
  const showSnapshot = (latest: FullResult) => {
    current = latest;
    replace(
      snapshot,
      h(
        'div',
        { class: 'title-row' },
        h('h2', { id: 'snapshot-heading' }, 'Results now'),
        statusBadge(current),
      ),
      !resultsArePublic(current)
        ? h('p', { class: 'hint' }, 'Only you see these until the round closes.')
        : null,
      resultView(current),
      h(
        'button',
        {
          type: 'button',
          class: 'button secondary',
          onclick: async () => {
            try {
              const fresh = await getJson<FullResult>(
                endpoints.vote(`/rounds/${id}`),
                bearer(token),
              );
              showSnapshot(fresh);
              showClose(fresh);
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

  const showClose = (state: FullResult) => {
    if (state.status === 'closed') {
      replace(
        closeArea,
        notice(
          'info',
          h('strong', null, 'This round is closed. '),
          state.closed_at ? `It closed ${formatDateTime(state.closed_at)}. ` : '',
          state.final
            ? 'Its result is final.'
            : 'The final result is published as soon as the last ballots are counted.',
        ),
      );
      return;
    }
    const ask = h(
      'button',
      {
        type: 'button',
        class: 'button danger',
        onclick: () => {
          replace(
            closeArea,
            h(
              'p',
              null,
              h('strong', null, 'Close the round now? '),
              'No more votes will be accepted. This cannot be undone.',
            ),
            h(
              'div',
              { class: 'button-row' },
              confirm,
              h(
                'button',
                {
                  type: 'button',
                  class: 'button secondary',
                  onclick: () => {
                    showClose(state);
                    closeArea.querySelector('button')?.focus();
                  },
                },
                'Cancel',
              ),
            ),
          );
          confirm.focus();
        },
      },
      'Close the round now',
    );
    const confirm = h(
      'button',
      {
        type: 'button',
        class: 'button danger',
        onclick: async () => {
          confirm.disabled = true;
          try {
            await postJson(endpoints.vote(`/rounds/${id}/close`), {}, bearer(token));
            const fresh = await getJson<FullResult>(endpoints.vote(`/rounds/${id}`), bearer(token));
            showClose(fresh);
            showSnapshot(fresh);
            announcer.textContent = 'The round is closed.';
            closeArea.setAttribute('tabindex', '-1');
            closeArea.focus();
          } catch (error) {
            confirm.disabled = false;
            replace(closeArea, notice('error', `The round was not closed. ${explain(error)}`), ask);
          }
        },
      },
      'Yes, close it now',
    );
    replace(
      closeArea,
      h('p', null, 'Closing stops the voting at once; the final result follows within a second.'),
      ask,
    );
  };

  /**
   * A download link. A public ballot export (a closed round, or one with live results and public
   * ballots) is a plain link: the server's Content-Disposition makes it a download. Otherwise
   * the page fetches it with the admin token and saves what it got.
   */
  const download = (label: string, path: string, file: string, ballots: boolean) => {
    const href = endpoints.vote(path);
    return h(
      'a',
      {
        class: 'button secondary',
        href,
        download: file,
        onclick: async (event: Event) => {
          if (ballots && ballotsArePublic(current)) return;
          event.preventDefault();
          downloadStatus.textContent = `Preparing ${label}…`;
          try {
            const response = await request(href, { headers: bearer(token) });
            saveBlob(await response.blob(), file);
            downloadStatus.textContent = `${label} downloaded.`;
          } catch (error) {
            downloadStatus.textContent =
              error instanceof ApiError && error.code === 'not_found'
                ? `${label}: this server does not offer that download yet.`
                : `${label} could not be downloaded. ${explain(error)}`;
          }
        },
      },
      label,
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
      result.allow_revote ? ' · revoting allowed' : '',
      result.results_visibility === 'after_close' ? ' · results after close' : ' · live results',
    ),
    announcer,
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'close-heading' },
      h('h2', { id: 'close-heading' }, 'Voting'),
      closeArea,
    ),
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
          copyField('Voting link', voteLink),
          copyField('Results link', resultsLink),
        ),
        h(
          'figure',
          { class: 'qr-figure' },
          qrCode(voteLink, 'QR code of the voting link'),
          h('figcaption', null, 'Scan to vote'),
        ),
      ),
      copyField('Admin link', manageLink, 'Keep this one private: it can close the round.'),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'downloads-heading' },
      h('h2', { id: 'downloads-heading' }, 'Downloads'),
      h(
        'p',
        { class: 'hint' },
        'The ballots (each with its receipt, never with who cast it) let anyone recount the result.',
      ),
      h(
        'div',
        { class: 'button-row' },
        download('Ballots (CSV)', `/rounds/${id}/ballots?format=csv`, `ballots-${id}.csv`, true),
        download('Ballots (NDJSON)', `/rounds/${id}/ballots`, `ballots-${id}.ndjson`, true),
        download('Results (JSON)', `/rounds/${id}`, `results-${id}.json`, false),
      ),
      downloadStatus,
    ),
    h('section', { class: 'card', 'aria-labelledby': 'snapshot-heading' }, snapshot),
    h('p', { class: 'page-links' }, h('a', { href: resultsLink }, 'Open the live results page')),
  );
  showClose(result);
  showSnapshot(result);
}

function saveBlob(blob: Blob, file: string): void {
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: file, class: 'visually-hidden' });
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
