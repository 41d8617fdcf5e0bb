import { type PreparedPiles, preparePiles } from './piles.ts';
import type { OptionId, Pile } from './types.ts';

/**
 * Plurality and approval counting: each pile adds its count to every option it names. A
 * plurality ballot names one option, so the same code serves both methods.
 *
 * The map holds every option of the round, including those without votes, in option order.
 */
export function countOptions(
  optionIds: readonly OptionId[],
  piles: readonly Pile[],
): Map<OptionId, number> {
  return countOptionsFromPrepared(preparePiles(optionIds, piles));
}

/** `countOptions` of input `preparePiles` already cleaned up. */
export function countOptionsFromPrepared(prepared: PreparedPiles): Map<OptionId, number> {
  const counts = new Map<OptionId, number>(prepared.optionIds.map((id) => [id, 0]));
  for (const pile of prepared.piles) {
    for (const id of pile.choices) counts.set(id, (counts.get(id) ?? 0) + pile.count);
  }
  return counts;
}

export interface LabelledOption {
  option_id: OptionId;
  label: string;
}

export interface OptionResult extends LabelledOption {
  votes: number;
}

/**
 * The results list (the shape the original service returned): most votes first, ties in option
 * order, so that equal counts always appear in the same order rather than in database order.
 */
export function listByVotes(
  options: readonly LabelledOption[],
  counts: ReadonlyMap<OptionId, number>,
): OptionResult[] {
  return options
    .map((option) => ({
      option_id: option.option_id,
      label: option.label,
      votes: counts.get(option.option_id) ?? 0,
    }))
    .sort((a, b) => b.votes - a.votes || a.option_id - b.option_id);
}
