import { ApiError, bearer, type FullResult, request } from '../../lib/api.ts';
import type { Endpoints } from '../../lib/config.ts';
import { h } from '../../lib/dom.ts';
import { saveBlob } from '../../lib/download.ts';
import { explain } from '../../lib/page.ts';
import { ballotsArePublic } from '../../lib/round-rules.ts';

/** The Downloads card: ballots (CSV, NDJSON) and the result (JSON). */
export function downloadsCard(
  endpoints: Endpoints,
  id: string,
  token: string,
  current: () => FullResult,
): HTMLElement {
  const status = h('p', { class: 'hint', role: 'status', 'aria-live': 'polite' });

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
          if (ballots && ballotsArePublic(current())) return;
          event.preventDefault();
          status.textContent = `Preparing ${label}…`;
          try {
            const response = await request(href, { headers: bearer(token) });
            saveBlob(await response.blob(), file);
            status.textContent = `${label} downloaded.`;
          } catch (error) {
            status.textContent =
              error instanceof ApiError && error.code === 'not_found'
                ? `${label}: this server does not offer that download yet.`
                : `${label} could not be downloaded. ${explain(error)}`;
          }
        },
      },
      label,
    );
  };

  return h(
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
    status,
  );
}
