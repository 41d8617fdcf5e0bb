import {
  type IrvResult,
  type IrvRound,
  METHOD_TRAITS,
  type SchulzeResult,
  type TabulationResult,
} from '@voting/domain';
import type { FullResult } from './api.ts';
import { formatDateTime, formatTime, h, percent, plural } from './dom.ts';

const TIE_BREAKS: Record<string, string> = {
  previous_round: 'a tie, broken by the previous round',
  earlier_round: 'a tie, broken by an earlier round',
  seeded_order: 'a tie, broken by the round’s fixed random order',
};

type Labels = Map<number, string>;

/** Open / Closed, counting / Final result, as a badge. */
export function statusBadge(round: Pick<FullResult, 'status'> & { final?: boolean }): HTMLElement {
  if (round.final) return h('span', { class: 'badge badge-final' }, 'Final result');
  if (round.status === 'closed') return h('span', { class: 'badge badge-closed' }, 'Closed');
  return h('span', { class: 'badge badge-open' }, 'Open');
}

/** Everything a result says: headline, bars, and the method's own tables. */
export function resultView(result: FullResult): HTMLElement {
  const labels: Labels = new Map(result.options.map((o) => [o.option_id, o.label]));
  const tabulation = result.tabulation?.result as TabulationResult | undefined;
  const parts: (HTMLElement | null)[] = [
    h(
      'p',
      { class: 'totals' },
      h('strong', { class: 'total-ballots' }, plural(result.total_ballots, 'ballot')),
      ' · ',
      h('span', { class: 'as-of' }, `as of ${formatTime(result.as_of)}`),
      result.closed_at ? ` · closed ${formatDateTime(result.closed_at)}` : null,
    ),
    headline(result, labels, tabulation),
    bars(result),
  ];
  if (METHOD_TRAITS[result.method].ranks) {
    parts.push(tabulationNote(result));
    if (tabulation?.method === 'ranked') parts.push(irvSection(tabulation.irv, labels));
    if (tabulation?.method === 'condorcet') parts.push(schulzeSection(tabulation.schulze, labels));
  }
  return h('div', { class: 'result' }, ...parts);
}

function names(ids: readonly number[], labels: Labels): string {
  const all = ids.map((id) => labels.get(id) ?? `#${id}`);
  if (all.length <= 1) return all.join('');
  return `${all.slice(0, -1).join(', ')} and ${all.at(-1)}`;
}

function headline(
  result: FullResult,
  labels: Labels,
  tabulation: TabulationResult | undefined,
): HTMLElement | null {
  if (result.total_ballots === 0) {
    return h('p', { class: 'headline muted' }, 'No ballots yet.');
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
  if (leaders.length === 0) return null;
  const decided = result.final;
  const word =
    leaders.length > 1 ? (decided ? 'Tied winners' : 'Tied') : decided ? 'Winner' : 'Leading';
  return h(
    'p',
    { class: `headline${decided ? ' headline-final' : ''}` },
    `${word}: `,
    h('strong', { class: 'winner' }, names(leaders, labels)),
  );
}

function bars(result: FullResult): HTMLElement {
  const { figure: heading, figureNote: explanation, unit } = METHOD_TRAITS[result.method];
  const most = Math.max(1, ...result.results.map((row) => row.votes));
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'bars-heading' },
    h('h2', { id: 'bars-heading' }, heading),
    explanation ? h('p', { class: 'hint' }, explanation) : null,
    h(
      'ol',
      { class: 'bars' },
      result.results.map((row) => {
        const fill = h('span', { class: 'bar-fill' });
        // CSSOM, not a style attribute: the Content-Security-Policy allows no inline styles.
        fill.style.width = `${(row.votes / most) * 100}%`;
        return h(
          'li',
          { class: 'bar-row', 'data-option-id': row.option_id },
          h(
            'span',
            { class: 'bar-head' },
            h('span', { class: 'bar-label' }, row.label),
            h(
              'span',
              { class: 'bar-value' },
              h('strong', null, plural(row.votes, unit)),
              ` · ${percent(row.share)}`,
            ),
          ),
          h('span', { class: 'bar-track', 'aria-hidden': 'true' }, fill),
        );
      }),
    ),
  );
}

function tabulationNote(result: FullResult): HTMLElement | null {
  const tab = result.tabulation;
  if (!tab) {
    return result.total_ballots > 0
      ? h('p', { class: 'hint tabulation-lag' }, 'The full count appears within a second or two.')
      : null;
  }
  if (tab.ballots === result.total_ballots) return null;
  return h(
    'p',
    { class: 'hint tabulation-lag' },
    `The full count below includes ${tab.ballots} of ${result.total_ballots} ballots (as of ${formatTime(tab.as_of)}); it catches up within a second or two.`,
  );
}

function irvSection(irv: IrvResult, labels: Labels): HTMLElement {
  const rounds = irv.rounds;
  // Options in the order they finished: the winner first, the first eliminated last.
  const outIn = new Map<number, number>();
  for (const round of rounds) for (const id of round.eliminated) outIn.set(id, round.number);
  const ids = [...labels.keys()].sort(
    (a, b) =>
      (outIn.get(b) ?? Number.POSITIVE_INFINITY) - (outIn.get(a) ?? Number.POSITIVE_INFINITY) ||
      votesIn(rounds.at(-1), b) - votesIn(rounds.at(-1), a) ||
      a - b,
  );
  const anyExhausted = rounds.some((round) => round.exhausted > 0);

  const table = h(
    'table',
    { class: 'irv-table', 'aria-describedby': 'irv-explained' },
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', { scope: 'col' }, 'Option'),
        // On a phone only the number shows (screen readers still say "Round").
        rounds.map((round) =>
          h('th', { scope: 'col' }, h('span', { class: 'wide-only' }, 'Round '), round.number),
        ),
      ),
    ),
    h(
      'tbody',
      null,
      ids.map((id) =>
        h(
          'tr',
          { class: id === irv.winner ? 'winner-row' : null },
          h('th', { scope: 'row' }, labels.get(id) ?? `#${id}`),
          rounds.map((round) => irvCell(round, id, irv.winner, round === rounds.at(-1))),
        ),
      ),
      anyExhausted
        ? h(
            'tr',
            { class: 'exhausted-row' },
            h('th', { scope: 'row' }, 'Exhausted'),
            rounds.map((round) => h('td', null, round.exhausted)),
          )
        : null,
    ),
  );

  const steps = rounds
    .filter((round) => round.eliminated.length > 0)
    .map((round) => {
      const out = names(round.eliminated, labels);
      const moved = round.transfers.map(
        (t) =>
          `${plural(t.votes, 'ballot')} to ${t.to === null ? 'nobody (exhausted)' : (labels.get(t.to) ?? `#${t.to}`)}`,
      );
      const why = round.elimination_tie_break
        ? ` (${TIE_BREAKS[round.elimination_tie_break] ?? 'a tie'})`
        : '';
      return h(
        'li',
        null,
        h('strong', null, `After round ${round.number}: `),
        `${out} ${round.eliminated.length > 1 ? 'are' : 'is'} out${why}.`,
        moved.length > 0 ? ` Moved: ${moved.join(', ')}.` : ' No ballots to move.',
      );
    });

  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'irv-heading' },
    h('h2', { id: 'irv-heading' }, 'Round by round'),
    h('div', { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': 'Rounds' }, table),
    h(
      'p',
      { class: 'hint', id: 'irv-explained' },
      'Each round, a ballot counts for its highest-ranked option still in the race.',
    ),
    steps.length > 0 ? h('ol', { class: 'steps' }, steps) : null,
    irv.winner !== null
      ? h(
          'p',
          null,
          `${labels.get(irv.winner)} has more than half of the ballots still counting in round ${rounds.length}.`,
        )
      : null,
  );
}

function votesIn(round: IrvRound | undefined, id: number): number {
  return round?.tallies.find((tally) => tally.option_id === id)?.votes ?? -1;
}

function irvCell(
  round: IrvRound,
  id: number,
  winner: number | null,
  last: boolean,
): HTMLTableCellElement {
  const tally = round.tallies.find((t) => t.option_id === id);
  if (!tally) return h('td', { class: 'out' }, h('span', { 'aria-label': 'out' }, '–'));
  const share = round.continuing_ballots > 0 ? tally.votes / round.continuing_ballots : 0;
  const eliminated = round.eliminated.includes(id);
  const won = last && id === winner;
  return h(
    'td',
    { class: eliminated ? 'eliminated' : won ? 'won' : null },
    h('span', { class: 'cell-votes' }, tally.votes),
    h('span', { class: 'cell-share' }, ` ${percent(share)}`),
    eliminated ? h('span', { class: 'cell-note' }, ' out') : null,
    won ? h('span', { class: 'cell-note' }, ' wins') : null,
  );
}

function schulzeSection(schulze: SchulzeResult, labels: Labels): HTMLElement {
  const ids = schulze.option_ids;
  const label = (id: number) => labels.get(id) ?? `#${id}`;
  const matrix = h(
    'table',
    { class: 'matrix', 'aria-describedby': 'matrix-explained' },
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('td', null),
        ids.map((id) => h('th', { scope: 'col' }, label(id))),
      ),
    ),
    h(
      'tbody',
      null,
      ids.map((rowId, i) =>
        h(
          'tr',
          null,
          h('th', { scope: 'row' }, label(rowId)),
          ids.map((_, j) => {
            if (i === j)
              return h('td', { class: 'self' }, h('span', { 'aria-label': 'same option' }, '—'));
            const mine = schulze.pairwise[i]?.[j] ?? 0;
            const theirs = schulze.pairwise[j]?.[i] ?? 0;
            const kind = mine > theirs ? 'win' : mine < theirs ? 'loss' : 'tie';
            return h(
              'td',
              { class: kind },
              String(mine),
              h(
                'span',
                { class: 'visually-hidden' },
                ` (${kind === 'win' ? 'wins' : kind === 'loss' ? 'loses' : 'ties'} against ${theirs})`,
              ),
            );
          }),
        ),
      ),
    ),
  );
  const winnerNote =
    schulze.winners.length === 0
      ? null
      : schulze.condorcet_winner !== null
        ? `${label(schulze.condorcet_winner)} beats every other option head to head.`
        : `No option beats every other head to head; the Schulze method ranks by the strongest chains of wins, and ${names(schulze.winners, labels)} ${schulze.winners.length > 1 ? 'come' : 'comes'} out on top.`;
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'matrix-heading' },
    h('h2', { id: 'matrix-heading' }, 'Head to head'),
    h(
      'div',
      { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': 'Head-to-head matrix' },
      matrix,
    ),
    h(
      'p',
      { class: 'hint', id: 'matrix-explained' },
      'Each cell: how many voters prefer the row’s option to the column’s. Green: the row wins that pair.',
    ),
    winnerNote ? h('p', null, winnerNote) : null,
    schulze.winners.length > 0
      ? h(
          'ol',
          { class: 'tiers' },
          schulze.ranking.map((tier) =>
            h('li', null, names(tier, labels), tier.length > 1 ? ' (tied)' : null),
          ),
        )
      : null,
  );
}
