import { type FullResult, getJson, type RoundView } from './api.ts';
import type { Endpoints } from './config.ts';
import { h, notice, replace } from './dom.ts';
import { formatDateTime } from './format.ts';
import { t } from './i18n.ts';
import { explain } from './page.ts';
import { type ResultView, resultView } from './results-view.ts';
import { atScheduledStart } from './round-start.ts';

/** A round as the stream describes it: with `final` on results, and on hidden events too. */
export type StreamedRound = RoundView & { final?: boolean };

export interface LiveResultsParts {
  /** Where the figures go, or the notice that they are hidden until the round closes. */
  body: HTMLElement;
  /** The line that says whether the figures are live, final or reconnecting. */
  connection: HTMLElement;
  /**
   * Each event's round (name, status, join code, …), for the rest of the page to follow; and a
   * scheduled round once more when its start has come.
   */
  describe(round: StreamedRound): void;
}

/**
 * Live results, for the results page and the presenter view alike: one EventSource on the result
 * service's stream, which sends the whole result at once and again on every change (and a
 * `hidden` event instead while the round shows its results only after closing). No polling;
 * EventSource reconnects by itself, resuming with Last-Event-ID. Each result updates the view
 * drawn for the first one, so bars move. The stream is the public one, never the admin's: a
 * round that hides its results until close shows the notice on both pages, whoever opens them
 * (invariant 8). Returns what stops it (a page drawn again in another language).
 */
export function followLiveResults(
  endpoints: Endpoints,
  roundId: string,
  parts: LiveResultsParts,
): () => void {
  const { body, connection } = parts;
  let view: ResultView | null = null;
  let cancelStartWait = () => {};
  // A scheduled round's opening sends no event (no ballot yet): the round is read again when it
  // may have come (lib/round-start.ts), so the page follows it all the same.
  const describe = (round: StreamedRound) => {
    parts.describe(round);
    cancelStartWait();
    cancelStartWait = () => {};
    if (round.status === 'scheduled' && round.opens_at)
      cancelStartWait = atScheduledStart(round.opens_at, () => {
        getJson<RoundView>(endpoints.vote(`/rounds/${roundId}/definition`)).then(describe, () => {
          // Unreachable for a moment: the stream's next event says it all the same.
        });
      });
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
    const round = JSON.parse((event as MessageEvent<string>).data) as StreamedRound;
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
  return () => {
    source.close();
    cancelStartWait();
  };
}
