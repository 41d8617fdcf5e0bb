import { ApiError, bearer, type FullResult, request } from '../../lib/api.ts';
import type { Endpoints } from '../../lib/config.ts';
import { h } from '../../lib/dom.ts';
import { saveBlob } from '../../lib/download.ts';
import { type MessageKey, t } from '../../lib/i18n.ts';
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
  const download = (key: MessageKey, path: string, file: string, ballots: boolean) => {
    const href = endpoints.vote(path);
    const label = t(key);
    return h(
      'a',
      {
        class: 'button secondary',
        href,
        download: file,
        onclick: async (event: Event) => {
          if (ballots && ballotsArePublic(current())) return;
          event.preventDefault();
          status.textContent = t('downloads.preparing', { label });
          try {
            const response = await request(href, { headers: bearer(token) });
            saveBlob(await response.blob(), file);
            status.textContent = t('downloads.done', { label });
          } catch (error) {
            status.textContent =
              error instanceof ApiError && error.code === 'not_found'
                ? t('downloads.missing', { label })
                : t('downloads.failed', { label, why: explain(error) });
          }
        },
      },
      label,
    );
  };

  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'downloads-heading' },
    h('h2', { id: 'downloads-heading' }, t('downloads.heading')),
    h('p', { class: 'hint' }, t('downloads.hint')),
    h(
      'div',
      { class: 'button-row' },
      download('downloads.csv', `/rounds/${id}/ballots?format=csv`, `ballots-${id}.csv`, true),
      download('downloads.ndjson', `/rounds/${id}/ballots`, `ballots-${id}.ndjson`, true),
      download('downloads.json', `/rounds/${id}`, `results-${id}.json`, false),
    ),
    status,
  );
}
