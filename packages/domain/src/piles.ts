import type { OptionId, Pile } from './types.ts';

/** Tabulation input after clean-up: what every counting method starts from. */
export interface PreparedPiles {
  /** The round's options in option order (ascending id). */
  optionIds: OptionId[];
  /** Non-empty piles, one per distinct ballot, sorted by choices so that results never depend
   * on the order the database happened to return rows in. */
  piles: Pile[];
  /** Total number of ballots. */
  ballots: number;
}

/**
 * Validates and normalises tabulation input: drops piles with count 0, merges piles holding the
 * same choices, and sorts options and piles.
 *
 * Malformed input (negative or fractional counts, ids outside the round, an id twice on one
 * ballot) cannot come from `parseBallot`, so it means stored data is corrupt. Throwing is
 * deliberate: publishing numbers computed from corrupt data would be worse than publishing none.
 */
export function preparePiles(
  optionIds: readonly OptionId[],
  piles: readonly Pile[],
): PreparedPiles {
  const sortedOptions = [...optionIds].sort((a, b) => a - b);
  const known = new Set(sortedOptions);
  if (known.size !== sortedOptions.length) {
    throw new RangeError(`option ids must be distinct: ${sortedOptions.join(',')}`);
  }

  const merged = new Map<string, Pile>();
  let ballots = 0;
  for (const pile of piles) {
    if (!Number.isSafeInteger(pile.count) || pile.count < 0) {
      throw new RangeError(`pile count must be a non-negative integer, got ${pile.count}`);
    }
    if (pile.count === 0) continue;
    checkChoices(pile.choices, known);
    const key = pile.choices.join(',');
    const existing = merged.get(key);
    merged.set(key, { choices: pile.choices, count: (existing?.count ?? 0) + pile.count });
    ballots += pile.count;
  }

  const sortedPiles = [...merged.values()].sort((a, b) => compareChoices(a.choices, b.choices));
  return { optionIds: sortedOptions, piles: sortedPiles, ballots };
}

function checkChoices(choices: readonly OptionId[], known: ReadonlySet<OptionId>): void {
  const seen = new Set<OptionId>();
  for (const id of choices) {
    if (!known.has(id)) throw new RangeError(`pile names option ${id}, not an option of the round`);
    if (seen.has(id)) throw new RangeError(`pile names option ${id} more than once`);
    seen.add(id);
  }
}

/** Lexicographic order on id lists; a list sorts before any longer list it is a prefix of. */
function compareChoices(a: readonly OptionId[], b: readonly OptionId[]): number {
  const shared = Math.min(a.length, b.length);
  for (let i = 0; i < shared; i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return a.length - b.length;
}
