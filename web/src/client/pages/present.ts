import { roundIdFromLocation } from '../lib/config.ts';
import { h, liveRegion, replace } from '../lib/dom.ts';
import { t } from '../lib/i18n.ts';
import { followLiveResults, type StreamedRound } from '../lib/live-results.ts';
import { runPage, setTitle } from '../lib/page.ts';
import { statusBadge } from '../lib/results-view.ts';
import { joinPanel } from './present/join-panel.ts';

/**
 * The presenter view, for a projector: the question in large type, how to join (QR code, the
 * address with the join code, the code in big letters) and the live results beside them, in the
 * same stream and view as the results page (lib/live-results.ts). Read from the back of a room:
 * type scaled to the screen (presenter.css), the site's contrast in both colour schemes, and a
 * full-screen toggle. A round that hides its results until close shows the notice here too: the
 * page reads the public stream, whoever opens it (invariant 8).
 */
runPage(async (endpoints, root) => {
  const roundId = roundIdFromLocation();
  document.body.classList.add('presenting');
  const heading = h('h1', { class: 'presenter-question', dir: 'auto' }, t('present.heading'));
  const badge = h('span', { class: 'badges' });
  const connection = h('span', { class: 'connection' }, t('results.connecting'));
  const announcer = liveRegion();
  const join = joinPanel(endpoints, roundId);
  const body = h('div', { class: 'result-body' }, h('p', { class: 'muted' }, t('results.waiting')));
  const grid = h(
    'div',
    { class: 'presenter-grid' },
    join.element,
    h('section', { class: 'presenter-results', 'aria-label': t('present.results') }, body),
  );
  const fullscreen = fullscreenToggle();
  replace(
    root,
    h(
      'div',
      { class: 'presenter-bar' },
      badge,
      h('p', { class: 'live-line' }, connection),
      fullscreen.element,
    ),
    heading,
    announcer,
    grid,
    h(
      'p',
      { class: 'page-links presenter-links' },
      h('a', { href: endpoints.page(`r/${roundId}/results`) }, t('present.resultsPage')),
      h('a', { href: endpoints.page(`r/${roundId}`) }, t('present.votePage')),
    ),
  );

  let lastState = '';
  const describe = (round: StreamedRound) => {
    setTitle(t('present.title', { name: round.name }));
    heading.textContent = round.name;
    replace(badge, statusBadge(round));
    join.show(round);
    // Closed: nothing left to join, the results take the whole width.
    grid.classList.toggle('presenter-closed', round.status === 'closed');
    const state = round.final ? 'final' : round.status;
    if (lastState && state !== lastState)
      announcer.textContent =
        state === 'final' ? t('results.nowFinal') : state === 'closed' ? t('present.closed') : '';
    lastState = state;
  };
  const stop = followLiveResults(endpoints, roundId, { body, connection, describe });
  return () => {
    stop();
    fullscreen.stop();
  };
});

/**
 * "Full screen" (the Fullscreen API on the whole page, so its own layout applies; Esc leaves it
 * too), a toggle button whose pressed state follows the browser's. Left out where the browser
 * cannot (an iPhone's Safari has no element full screen).
 */
function fullscreenToggle(): { element: HTMLElement | null; stop(): void } {
  if (!document.fullscreenEnabled) return { element: null, stop: () => {} };
  const button = h(
    'button',
    {
      type: 'button',
      class: 'button secondary presenter-fullscreen',
      'aria-pressed': 'false',
      onclick: () => {
        if (document.fullscreenElement) void document.exitFullscreen();
        else
          document.documentElement.requestFullscreen().catch(() => {
            // Refused (not from a click the browser counts, or a policy): the page stays as it is.
          });
      },
    },
    t('present.fullscreen'),
  );
  const sync = () =>
    button.setAttribute('aria-pressed', String(document.fullscreenElement !== null));
  document.addEventListener('fullscreenchange', sync);
  sync();
  return { element: button, stop: () => document.removeEventListener('fullscreenchange', sync) };
}
