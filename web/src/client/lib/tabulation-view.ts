/** The ranked methods' own tables: instant-runoff round by round, and Condorcet head to head. */
import type { IrvResult, IrvRound, SchulzeResult } from '@voting/domain';
import { bdi, type Child, h } from './dom.ts';
import { formatList, percent } from './format.ts';
import { type MessageKey, t, tx } from './i18n.ts';

export type Labels = Map<number, string>;

const TIE_BREAKS: Record<string, MessageKey> = {
  previous_round: 'irv.tiePrevious',
  earlier_round: 'irv.tieEarlier',
  seeded_order: 'irv.tieSeeded',
};

/** Names of options in a sentence ("A, B and C"), each isolated for its direction. */
export function names(ids: readonly number[], labels: Labels): (string | HTMLElement)[] {
  return formatList(ids.map((id) => bdi(labels.get(id) ?? `#${id}`)));
}

/**
 * A card holding one of the tables: its heading, the table in a region that scrolls sideways on
 * a narrow screen (and takes the keyboard's focus to do so), the table's explanation, then
 * whatever follows it.
 */
function tableCard(
  table: 'irv' | 'matrix',
  element: HTMLTableElement,
  ...after: (Child | Child[])[]
): HTMLElement {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': `${table}-heading` },
    h('h2', { id: `${table}-heading` }, t(`${table}.heading`)),
    h(
      'div',
      { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': t(`${table}.region`) },
      element,
    ),
    h('p', { class: 'hint', id: `${table}-explained` }, t(`${table}.explained`)),
    ...after,
  );
}

export function irvSection(irv: IrvResult, labels: Labels): HTMLElement {
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
        h('th', { scope: 'col' }, t('irv.option')),
        // On a phone only the number shows (screen readers still say "Round").
        rounds.map((round) =>
          h(
            'th',
            { scope: 'col' },
            h('span', { class: 'wide-only' }, `${t('irv.round')} `),
            round.number,
          ),
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
          h('th', { scope: 'row', dir: 'auto' }, labels.get(id) ?? `#${id}`),
          rounds.map((round) => irvCell(round, id, irv.winner, round === rounds.at(-1))),
        ),
      ),
      anyExhausted
        ? h(
            'tr',
            { class: 'exhausted-row' },
            h(
              'th',
              { scope: 'row', 'aria-describedby': 'exhausted-explained' },
              t('irv.exhausted'),
            ),
            rounds.map((round) => h('td', null, round.exhausted)),
          )
        : null,
    ),
  );

  const steps = rounds
    .filter((round) => round.eliminated.length > 0)
    .map((round) => {
      const moved = round.transfers.map((transfer) =>
        tx(transfer.to === null ? 'irv.movedExhausted' : 'irv.moved', {
          count: transfer.votes,
          to: transfer.to === null ? '' : bdi(labels.get(transfer.to) ?? `#${transfer.to}`),
        }),
      );
      const why = round.elimination_tie_break
        ? ` (${t(TIE_BREAKS[round.elimination_tie_break] ?? 'irv.tie')})`
        : '';
      return h(
        'li',
        null,
        h('strong', null, t('irv.after', { number: round.number })),
        ' ',
        tx(round.eliminated.length > 1 ? 'irv.outMany' : 'irv.outOne', {
          names: h('span', null, ...names(round.eliminated, labels)),
        }),
        why,
        '. ',
        moved.length > 0
          ? [
              t('irv.movedLead'),
              ' ',
              ...formatList(moved.map((parts) => h('span', null, ...parts))),
              '.',
            ]
          : t('irv.nothingMoved'),
      );
    });

  return tableCard(
    'irv',
    table,
    // "Exhausted" is explained where it appears: under the table and in the steps that use it.
    anyExhausted
      ? h('p', { class: 'hint', id: 'exhausted-explained' }, t('irv.exhaustedExplained'))
      : null,
    steps.length > 0 ? h('ol', { class: 'steps' }, steps) : null,
    irv.winner !== null
      ? h(
          'p',
          null,
          ...tx('irv.majority', {
            name: bdi(labels.get(irv.winner) ?? ''),
            round: rounds.length,
          }),
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
  const tally = round.tallies.find((candidate) => candidate.option_id === id);
  if (!tally) return h('td', { class: 'out' }, h('span', { 'aria-label': t('irv.cellOut') }, '–'));
  const share = round.continuing_ballots > 0 ? tally.votes / round.continuing_ballots : 0;
  const eliminated = round.eliminated.includes(id);
  const won = last && id === winner;
  return h(
    'td',
    { class: eliminated ? 'eliminated' : won ? 'won' : null },
    h('span', { class: 'cell-votes' }, tally.votes),
    h('span', { class: 'cell-share' }, ` ${percent(share)}`),
    eliminated ? h('span', { class: 'cell-note' }, ` ${t('irv.cellEliminated')}`) : null,
    won ? h('span', { class: 'cell-note' }, ` ${t('irv.cellWins')}`) : null,
  );
}

export function schulzeSection(schulze: SchulzeResult, labels: Labels): HTMLElement {
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
        // Numbers, not labels, head the columns: a long label would make every column as wide
        // as itself. Screen readers still hear the label.
        ids.map((id, index) =>
          h(
            'th',
            { scope: 'col', class: 'matrix-number' },
            h('span', { class: 'visually-hidden' }, label(id)),
            h('span', { 'aria-hidden': 'true' }, index + 1),
          ),
        ),
      ),
    ),
    h(
      'tbody',
      null,
      ids.map((rowId, i) =>
        h(
          'tr',
          null,
          h(
            'th',
            { scope: 'row' },
            h('span', { class: 'option-number', 'aria-hidden': 'true' }, i + 1),
            ' ',
            h('bdi', null, label(rowId)),
          ),
          ids.map((_, j) => {
            if (i === j)
              return h('td', { class: 'self' }, h('span', { 'aria-label': t('matrix.self') }, '—'));
            const mine = schulze.pairwise[i]?.[j] ?? 0;
            const theirs = schulze.pairwise[j]?.[i] ?? 0;
            const kind = mine > theirs ? 'win' : mine < theirs ? 'loss' : 'tie';
            return h(
              'td',
              { class: kind },
              String(mine),
              h('span', { class: 'visually-hidden' }, ` (${t(`matrix.${kind}`, { theirs })})`),
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
        ? tx('matrix.condorcetWinner', { name: bdi(label(schulze.condorcet_winner)) })
        : tx(schulze.winners.length > 1 ? 'matrix.schulzeMany' : 'matrix.schulzeOne', {
            names: h('span', null, ...names(schulze.winners, labels)),
          });
  return tableCard(
    'matrix',
    matrix,
    winnerNote ? h('p', null, ...winnerNote) : null,
    schulze.winners.length > 0
      ? h(
          'ol',
          { class: 'tiers' },
          schulze.ranking.map((tier) =>
            h('li', null, ...names(tier, labels), tier.length > 1 ? ` ${t('matrix.tied')}` : null),
          ),
        )
      : null,
  );
}
