import { breakEliminationTie, type EliminationTieBreak } from './irv-tie-break.ts';
import { type PreparedPiles, preparePiles } from './piles.ts';
import type { OptionId, OptionVotes, Pile } from './types.ts';

export interface IrvTransfer {
  from: OptionId;
  /** Null when the ballots had no further continuing choice and became exhausted. */
  to: OptionId | null;
  votes: number;
}

export interface IrvRound {
  number: number;
  /** Votes of every continuing option, in option order. */
  tallies: OptionVotes[];
  /** Ballots counting for some continuing option in this round. */
  continuing_ballots: number;
  /** Ballots with no continuing choice left, accumulated over all rounds so far. */
  exhausted: number;
  /** Options eliminated at the end of this round; empty in the final round. */
  eliminated: OptionId[];
  /** Ballots moved by this round's elimination, by origin then destination (exhausted last). */
  transfers: IrvTransfer[];
  /** Present only when several options were tied for fewest votes. */
  elimination_tie_break?: EliminationTieBreak;
}

export interface IrvResult {
  rounds: IrvRound[];
  /** Null only when there are no ballots. */
  winner: OptionId | null;
}

/**
 * Instant-runoff voting (ranked choice), counted round by round:
 *
 * - Each ballot counts for its highest-ranked option that is still continuing. A ballot whose
 *   ranked options have all been eliminated is exhausted and no longer counts.
 * - An option wins when it holds MORE than half of the continuing (non-exhausted) ballots of a
 *   round. A lone continuing option holding any ballot therefore wins.
 * - Otherwise the option with the fewest votes is eliminated and each of its ballots moves to its
 *   next continuing choice, or to exhausted. Ties for fewest are broken by the previous round,
 *   then the earliest round that separates them, then a seeded order (see irv-tie-break.ts), so
 *   exactly one option goes and a winner is always produced when there is at least one ballot.
 * - Options without a single vote are all eliminated together in one round, without any
 *   tie-break: they hold no ballots, so the order among them could not change anything, and a
 *   coin toss between empty options would only puzzle readers of the results.
 * - With no ballots, no round is counted: `rounds` is empty and `winner` is null.
 *
 * @param tieBreakSeed the round id; seeds the last-resort tie-break order
 */
export function tabulateInstantRunoff(
  optionIds: readonly OptionId[],
  piles: readonly Pile[],
  tieBreakSeed: string,
): IrvResult {
  return instantRunoffFromPrepared(preparePiles(optionIds, piles), tieBreakSeed);
}

/** `tabulateInstantRunoff` of input `preparePiles` already cleaned up. */
export function instantRunoffFromPrepared(
  prepared: PreparedPiles,
  tieBreakSeed: string,
): IrvResult {
  const rounds: IrvRound[] = [];
  if (prepared.ballots === 0) return { rounds, winner: null };

  const continuing = new Set(prepared.optionIds);
  const history: Map<OptionId, number>[] = [];
  for (let number = 1; continuing.size > 0; number++) {
    const tops = prepared.piles.map((pile) => topContinuingChoice(pile.choices, continuing));
    const tallies = new Map<OptionId, number>();
    for (const id of prepared.optionIds) if (continuing.has(id)) tallies.set(id, 0);
    let continuingBallots = 0;
    prepared.piles.forEach((pile, index) => {
      const top = tops[index];
      if (top === null || top === undefined) return;
      tallies.set(top, (tallies.get(top) ?? 0) + pile.count);
      continuingBallots += pile.count;
    });

    const round: IrvRound = {
      number,
      tallies: [...tallies].map(([option_id, votes]) => ({ option_id, votes })),
      continuing_ballots: continuingBallots,
      exhausted: prepared.ballots - continuingBallots,
      eliminated: [],
      transfers: [],
    };
    rounds.push(round);

    for (const [id, votes] of tallies) {
      if (votes * 2 > continuingBallots) return { rounds, winner: id };
    }

    const elimination = chooseEliminated(tallies, history, tieBreakSeed);
    for (const id of elimination.eliminated) continuing.delete(id);
    round.eliminated = elimination.eliminated;
    round.transfers = transfersAfterElimination(prepared.piles, tops, continuing);
    if (elimination.tieBreak !== undefined) round.elimination_tie_break = elimination.tieBreak;
    history.push(tallies);
  }
  // Unreachable: while a ballot counts, eliminations stop at a lone option, which then wins.
  throw new Error('instant runoff ran out of options without a winner');
}

function topContinuingChoice(
  choices: readonly OptionId[],
  continuing: ReadonlySet<OptionId>,
): OptionId | null {
  return choices.find((id) => continuing.has(id)) ?? null;
}

function chooseEliminated(
  tallies: ReadonlyMap<OptionId, number>,
  history: readonly ReadonlyMap<OptionId, number>[],
  seed: string,
): { eliminated: OptionId[]; tieBreak?: EliminationTieBreak } {
  const fewest = Math.min(...tallies.values());
  const tied = [...tallies.keys()].filter((id) => tallies.get(id) === fewest);
  if (fewest === 0 || tied.length === 1) return { eliminated: tied };
  const { eliminated, tieBreak } = breakEliminationTie(tied, history, seed);
  return { eliminated: [eliminated], tieBreak };
}

/** Where the ballots of just-eliminated options go: the next continuing choice, or exhausted. */
function transfersAfterElimination(
  piles: readonly Pile[],
  topsBefore: readonly (OptionId | null)[],
  continuing: ReadonlySet<OptionId>,
): IrvTransfer[] {
  const byRoute = new Map<string, IrvTransfer>();
  piles.forEach((pile, index) => {
    const from = topsBefore[index];
    if (from === null || from === undefined || continuing.has(from)) return;
    const to = topContinuingChoice(pile.choices, continuing);
    const key = `${from}>${to}`;
    const route = byRoute.get(key) ?? { from, to, votes: 0 };
    route.votes += pile.count;
    byRoute.set(key, route);
  });
  return [...byRoute.values()].sort((a, b) => a.from - b.from || compareDestination(a.to, b.to));
}

/** Option order, with exhausted (null) after every option. */
function compareDestination(a: OptionId | null, b: OptionId | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a - b;
}
