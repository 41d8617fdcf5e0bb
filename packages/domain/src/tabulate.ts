import { type IrvResult, tabulateInstantRunoff } from './instant-runoff.ts';
import { countOptions } from './option-counts.ts';
import { preparePiles } from './piles.ts';
import { type SchulzeResult, tabulateSchulze } from './schulze.ts';
import type { OptionId, OptionVotes, Pile, RoundRules } from './types.ts';

export interface CountResult {
  method: 'plurality' | 'approval';
  /** Votes per option, in option order (ranking them for display is the reader's choice). */
  counts: OptionVotes[];
  ballots: number;
}

export interface RankedResult {
  method: 'ranked';
  ballots: number;
  irv: IrvResult;
}

export interface CondorcetResult {
  method: 'condorcet';
  ballots: number;
  schulze: SchulzeResult;
}

export type TabulationResult = CountResult | RankedResult | CondorcetResult;

/**
 * Counts a round with the method its rules name. The result is plain data that depends only on
 * the multiset of ballots and the round id, never on pile order, so a recount can compare
 * results byte-for-byte with `canonicalResultJson`.
 *
 * @param roundId seeds the last-resort tie-break of instant runoff
 */
export function tabulate(
  rules: RoundRules,
  piles: readonly Pile[],
  roundId: string,
): TabulationResult {
  const { ballots } = preparePiles(rules.optionIds, piles);
  switch (rules.method) {
    case 'plurality':
    case 'approval':
      return { method: rules.method, counts: countsInOptionOrder(rules.optionIds, piles), ballots };
    case 'ranked':
      return {
        method: 'ranked',
        ballots,
        irv: tabulateInstantRunoff(rules.optionIds, piles, roundId),
      };
    case 'condorcet':
      return { method: 'condorcet', ballots, schulze: tabulateSchulze(rules.optionIds, piles) };
  }
}

function countsInOptionOrder(
  optionIds: readonly OptionId[],
  piles: readonly Pile[],
): OptionVotes[] {
  return [...countOptions(optionIds, piles)].map(([option_id, votes]) => ({ option_id, votes }));
}
