import { type FullResult, getJson, type RoundView } from '../lib/api.ts';
import { roundIdFromLocation } from '../lib/config.ts';
import { h, notice, replace } from '../lib/dom.ts';
import { formatDateTime } from '../lib/format.ts';
import { t } from '../lib/i18n.ts';
import { methodName } from '../lib/methods.ts';
import { explain, runPage, setTitle } from '../lib/page.ts';
import { type ResultView, resultView, statusBadge } from '../lib/results-view.ts';

/**
 * Live results: one EventSource on the result service's stream, which sends the whole result
 * at once and again on every change (and a `hidden` event instead while the round shows its
 * results only after closing). No polling; EventSource reconnects by itself, resuming with
 * Last-Event-ID. Each result updates the view drawn for the first one, so bars move.
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
  let view: ResultView | null = null;
  const describe = (round: RoundView & { final?: boolean }) => {
    setTitle(t('results.title', { name: round.name }));
    heading.textContent = round.name;
    replace(badge, statusBadge(round));
    replace(
      meta,
      methodName(round.method),
      round.status === 'open' && round.closes_at
        ? ` · ${t('vote.closes', { when: formatDateTime(round.closes_at) })}`
        : null,
    );
    voteLink.hidden = round.status !== 'open';
    const state = round.final ? 'final' : round.status;
    if (lastState && state !== lastState) {
      announcer.textContent =
        state === 'final'
          ? t('results.nowFinal')
          : state === 'closed'
            ? t('results.nowClosed')
            : '';
    }
    lastState = state;
  };
  const live = (key: 'results.live' | 'results.liveHidden') => {
    connection.textContent = t(key);
    connection.className = 'connection live';
  };

  const source = new EventSource(endpoints.result(`/rounds/${roundId}/results/stream`));
  source.addEventListener('results', (event) => {
    const result = JSON.parse((event as MessageEvent<string>).data) as FullResult;
    describe(result);
    if (view) view.update(result);
    else {
      view = resultView(result);
      replace(body, view.element);
    }
    if (result.final) {
      // A final result never changes again.
      source.close();
      connection.textContent = t('results.final');
      connection.className = 'connection final';
    } else live('results.live');
  });
  source.addEventListener('hidden', (event) => {
    const round = JSON.parse((event as MessageEvent<string>).data) as RoundView;
    describe(round);
    live('results.liveHidden');
    view = null;
    replace(
      body,
      notice(
        'info',
        h('p', null, h('strong', null, t('results.hidden'))),
        h(
          'p',
          null,
          t('results.hiddenWhy'),
          round.closes_at
            ? ` ${t('results.hiddenCloses', { when: formatDateTime(round.closes_at) })}`
            : '',
        ),
      ),
    );
  });
  source.addEventListener('error', () => {
    if (source.readyState !== EventSource.CLOSED) {
      connection.textContent = t('results.reconnecting');
      connection.className = 'connection offline';
      return;
    }
    // The stream refused for good (an unknown round, say): ask why.
    getJson<FullResult>(endpoints.result(`/rounds/${roundId}`)).then(
      () => {
        connection.textContent = t('results.streamGone');
        connection.className = 'connection offline';
      },
      (error: unknown) => {
        connection.textContent = '';
        replace(body, notice('error', explain(error)));
      },
    );
  });
  // Drawn again in another language: the old view's stream must not keep writing into it.
  return () => source.close();
});
