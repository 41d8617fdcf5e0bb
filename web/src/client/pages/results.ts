import { METHOD_TRAITS } from '@voting/domain';
import { type FullResult, getJson, type RoundView } from '../lib/api.ts';
import { roundIdFromLocation } from '../lib/config.ts';
import { formatDateTime, h, notice, replace } from '../lib/dom.ts';
import { explain, runPage, setTitle } from '../lib/page.ts';
import { resultView, statusBadge } from '../lib/results-view.ts';

/**
 * Live results: one EventSource on the result service's stream, which sends the whole result
 * at once and again on every change (and a `hidden` event instead while the round shows its
 * results only after closing). No polling; EventSource reconnects by itself, resuming with
 * Last-Event-ID.
 */
runPage(async (endpoints, root) => {
  const roundId = roundIdFromLocation();
  const heading = h('h1', null, 'Results');
  const badge = h('span', { class: 'badges' });
  const meta = h('p', { class: 'meta' });
  const connection = h('span', { class: 'connection' }, 'Connecting…');
  const announcer = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
  const body = h(
    'div',
    { class: 'result-body' },
    h('p', { class: 'muted' }, 'Waiting for the figures…'),
  );
  const voteLink = h('a', { href: endpoints.page(`r/${roundId}`) }, 'Vote in this round');
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
  const describe = (round: RoundView & { final?: boolean }) => {
    setTitle(`${round.name}: results`);
    heading.textContent = round.name;
    replace(badge, statusBadge(round));
    replace(
      meta,
      METHOD_TRAITS[round.method].name,
      round.status === 'open' && round.closes_at
        ? ` · closes ${formatDateTime(round.closes_at)}`
        : null,
    );
    voteLink.hidden = round.status !== 'open';
    const state = round.final ? 'final' : round.status;
    if (lastState && state !== lastState) {
      announcer.textContent =
        state === 'final'
          ? 'The result is final.'
          : state === 'closed'
            ? 'The round has closed.'
            : '';
    }
    lastState = state;
  };

  const source = new EventSource(endpoints.result(`/rounds/${roundId}/results/stream`));
  source.addEventListener('results', (event) => {
    const result = JSON.parse((event as MessageEvent<string>).data) as FullResult;
    describe(result);
    replace(body, resultView(result));
    if (result.final) {
      // A final result never changes again.
      source.close();
      connection.textContent = 'Final: these figures will not change.';
      connection.className = 'connection final';
    } else {
      connection.textContent = 'Live: updates as votes arrive';
      connection.className = 'connection live';
    }
  });
  source.addEventListener('hidden', (event) => {
    const round = JSON.parse((event as MessageEvent<string>).data) as RoundView;
    describe(round);
    connection.textContent = 'Live: the results appear here when the round closes';
    connection.className = 'connection live';
    replace(
      body,
      notice(
        'info',
        h('p', null, h('strong', null, 'The results are hidden until the round closes.')),
        h(
          'p',
          null,
          'This page shows them as soon as it does; there is no need to reload.',
          round.closes_at ? ` It closes ${formatDateTime(round.closes_at)}.` : '',
        ),
      ),
    );
  });
  source.addEventListener('error', () => {
    if (source.readyState !== EventSource.CLOSED) {
      connection.textContent = 'Reconnecting…';
      connection.className = 'connection offline';
      return;
    }
    // The stream refused for good (an unknown round, say): ask why.
    getJson<FullResult>(endpoints.result(`/rounds/${roundId}`)).then(
      () => {
        connection.textContent = 'The live stream is unavailable; reload the page to try again.';
        connection.className = 'connection offline';
      },
      (error: unknown) => {
        connection.textContent = '';
        replace(body, notice('error', explain(error)));
      },
    );
  });
});
