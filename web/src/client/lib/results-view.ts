import { METHOD_TRAITS, type TabulationResult } from '@voting/domain';
import type { FullResult } from './api.ts';
import { h, replace } from './dom.ts';
import { formatDateTime, formatTime } from './format.ts';
import { t, tx } from './i18n.ts';
import { resultBars } from './result-bars.ts';
import { irvSection, type Labels, names, schulzeSection } from './tabulation-view.ts';

/** Scheduled / Open / Closed, counting / Final result, as a badge. */
export function statusBadge(round: Pick<FullResult, 'status'> & { final?: boolean }): HTMLElement {
  if (round.final) return h('span', { class: 'badge badge-final' }, t('status.final'));
  if (round.status === 'closed')
    return h('span', { class: 'badge badge-closed' }, t('status.closed'));
  if (round.status === 'scheduled')
    return h('span', { class: 'badge badge-scheduled' }, t('status.scheduled'));
  return h('span', { class: 'badge badge-open' }, t('status.open'));
}

export interface ResultView {
  element: HTMLElement;
  /** Shows newer figures in the same elements, so bars move instead of being drawn anew. */
  update(result: FullResult): void;
}

/** Everything a result says: headline, bars, and the method's own tables. */
export function resultView(first: FullResult): ResultView {
  const totals = h('p', { class: 'totals' });
  const headline = h('p', { class: 'headline' });
  const bars = resultBars(first);
  const lag = h('div');
  const tables = h('div');
  let shownTabulation = '';

  const update = (result: FullResult) => {
    const labels: Labels = new Map(result.options.map((o) => [o.option_id, o.label]));
    const tabulation = result.tabulation?.result as TabulationResult | undefined;
    replace(
      totals,
      h('strong', { class: 'total-ballots' }, t('result.ballots', { count: result.total_ballots })),
      ' · ',
      h('span', { class: 'as-of' }, t('result.asOf', { time: formatTime(result.as_of) })),
      result.closed_at
        ? ` · ${t('result.closedAt', { when: formatDateTime(result.closed_at) })}`
        : null,
    );
    showHeadline(headline, result, labels, tabulation);
    bars.update(result);
    replace(lag, tabulationNote(result));
    // The tables change only when the stored tabulation does (a ranked count lags on purpose).
    const key = JSON.stringify(result.tabulation ?? null);
    if (key !== shownTabulation) {
      shownTabulation = key;
      replace(
        tables,
        tabulation?.method === 'ranked' ? irvSection(tabulation.irv, labels) : null,
        tabulation?.method === 'condorcet' ? schulzeSection(tabulation.schulze, labels) : null,
      );
    }
  };
  update(first);
  return {
    element: h('div', { class: 'result' }, totals, headline, bars.element, lag, tables),
    update,
  };
}

function showHeadline(
  element: HTMLElement,
  result: FullResult,
  labels: Labels,
  tabulation: TabulationResult | undefined,
): void {
  element.className = 'headline';
  element.hidden = false;
  if (result.total_ballots === 0) {
    element.classList.add('muted');
    replace(element, t('result.noBallots'));
    return;
  }
  let leaders: number[] = [];
  if (!METHOD_TRAITS[result.method].ranks) {
    const most = Math.max(...result.results.map((row) => row.votes));
    leaders = result.results.filter((row) => row.votes === most).map((row) => row.option_id);
  } else if (tabulation?.method === 'ranked' && tabulation.irv.winner !== null) {
    leaders = [tabulation.irv.winner];
  } else if (tabulation?.method === 'condorcet') {
    leaders = tabulation.schulze.winners;
  }
  if (leaders.length === 0) {
    element.hidden = true;
    return;
  }
  const decided = result.final;
  if (decided) element.classList.add('headline-final');
  const word =
    leaders.length > 1
      ? decided
        ? 'result.tiedWinners'
        : 'result.tied'
      : decided
        ? 'result.winner'
        : 'result.leading';
  replace(
    element,
    ...tx(word, { names: h('strong', { class: 'winner' }, ...names(leaders, labels)) }),
  );
}

function tabulationNote(result: FullResult): HTMLElement | null {
  if (!METHOD_TRAITS[result.method].ranks) return null;
  const tab = result.tabulation;
  if (!tab) {
    return result.total_ballots > 0
      ? h('p', { class: 'hint tabulation-lag' }, t('result.countSoon'))
      : null;
  }
  if (tab.ballots === result.total_ballots) return null;
  return h(
    'p',
    { class: 'hint tabulation-lag' },
    t('result.countLags', {
      counted: tab.ballots,
      total: result.total_ballots,
      time: formatTime(tab.as_of),
    }),
  );
}
