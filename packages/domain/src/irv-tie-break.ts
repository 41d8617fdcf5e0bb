import { firstInSeededOrder } from './seeded-order.ts';
import type { OptionId } from './types.ts';

export type EliminationTieBreak = 'previous_round' | 'earlier_round' | 'seeded_order';

/**
 * Chooses which of several options tied for fewest votes to eliminate. Each stage keeps only
 * the options with the fewest votes in the round it looks at, so an option that did better than
 * the others at some stage is never the one eliminated later:
 *
 * 1. `previous_round`: the round just before this one.
 * 2. `earlier_round`: the remaining rounds from the first onwards; the earliest round whose
 *    counts differ among the remaining options narrows them, later rounds keep narrowing.
 * 3. `seeded_order`: the fixed pseudo-random order derived from the round id (seeded-order.ts);
 *    the option first in that order is eliminated.
 *
 * Recent rounds come first because they best reflect support after earlier transfers; the
 * seeded order is the last resort so a tie is always resolved, and resolved reproducibly.
 * The reported stage is the one that left a single option.
 *
 * @param tied options tied for fewest votes in the current round (two or more)
 * @param history tallies of every earlier round, first round first; every tied option is
 *   continuing, so it has a tally in each of them
 */
export function breakEliminationTie(
  tied: readonly OptionId[],
  history: readonly ReadonlyMap<OptionId, number>[],
  seed: string,
): { eliminated: OptionId; tieBreak: EliminationTieBreak } {
  const previous = history.at(-1);
  let remaining = [...tied];
  if (previous !== undefined) {
    remaining = fewestIn(previous, remaining);
    const [only] = remaining;
    if (remaining.length === 1 && only !== undefined) {
      return { eliminated: only, tieBreak: 'previous_round' };
    }
  }

  for (const tallies of history.slice(0, -1)) {
    remaining = fewestIn(tallies, remaining);
    const [only] = remaining;
    if (remaining.length === 1 && only !== undefined) {
      return { eliminated: only, tieBreak: 'earlier_round' };
    }
  }

  return { eliminated: firstInSeededOrder(seed, remaining), tieBreak: 'seeded_order' };
}

function fewestIn(tallies: ReadonlyMap<OptionId, number>, ids: readonly OptionId[]): OptionId[] {
  const votes = (id: OptionId) => tallies.get(id) ?? 0;
  const fewest = Math.min(...ids.map(votes));
  return ids.filter((id) => votes(id) === fewest);
}
