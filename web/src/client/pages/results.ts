import { roundIdFromLocation } from '../lib/config.ts';
import { h, replace } from '../lib/dom.ts';
import { formatDateTime } from '../lib/format.ts';
import { t } from '../lib/i18n.ts';
import { followLiveResults, type StreamedRound } from '../lib/live-results.ts';
import { methodName } from '../lib/methods.ts';
import { runPage, setTitle } from '../lib/page.ts';
import { statusBadge } from '../lib/results-view.ts';

/**
 * Live results, from the round's stream (lib/live-results.ts: pushed, never polled; each result
 * moves the bars drawn for the first one; a notice while they are hidden until close).
 */
runPage(async (endpoints, root) => {
  const roundId = roundIdFromLocation();
  const heading = h('h1', { dir: 'auto' }, t('results.heading'));
  const badge = h('span', { class: 'badges' });
  const meta = h('p', { class: 'meta' });
  const connection = h('span', { class: 'connection' }, t('results.connecting'));
  const announcer = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
  const body = h('div', { class: 'result-body' }, h('p', { class: 'muted' }, t('results.waiting')));
  const voteLink = h('a', { href: endpoints.page(`r/${roundId}`) }, t('results.voteLink'));
  replace(
    root,
    h('div', { class: 'title-row' }, heading, badge),
    meta,
    h('p', { class: 'live-line' }, connection),
    announcer,
    body,
    h('p', { class: 'page-links' }, voteLink),
  );

  let lastState = '';
  const describe = (round: StreamedRound) => {
    setTitle(t('results.title', { name: round.name }));
    heading.textContent = round.name;
    replace(badge, statusBadge(round));
    replace(
      meta,
      methodName(round.method),
      round.status === 'scheduled' && round.opens_at
        ? ` · ${t('scheduled.opens', { when: formatDateTime(round.opens_at) })}`
        : null,
      round.status !== 'closed' && round.closes_at
        ? ` · ${t('vote.closes', { when: formatDateTime(round.closes_at) })}`
        : null,
    );
    // A scheduled round's ballot page says when it opens, and shows the ballot then.
    voteLink.hidden = round.status === 'closed';
    const state = round.final ? 'final' : round.status;
    if (lastState && state !== lastState) {
      announcer.textContent =
        state === 'final'
          ? t('results.nowFinal')
          : state === 'closed'
            ? t('results.nowClosed')
            : state === 'open'
              ? t('scheduled.nowOpen')
              : '';
    }
    lastState = state;
  };
  // Drawn again in another language: the old view's stream must not keep writing into it.
  return followLiveResults(endpoints, roundId, { body, connection, describe });
});
