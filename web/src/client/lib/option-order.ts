/**
 * The order a voter sees the options in. A list in one fixed order favours whatever is first
 * (ballot-order effects are a few points in studies of real elections), so a round may ask for
 * `shuffle_options`: each voter then gets the options in an order of their own.
 *
 * "Of their own" means per browser and round, and the same order on every visit: the order is
 * drawn from a seed made of this browser's voter id and the round id, so a reload or a revote
 * shows the ballot as it was, and nothing has to be stored. The results keep the round's order.
 */

/** The options in this voter's order: the round's own order unless it shuffles. */
export function optionsForVoter<Option>(
  options: readonly Option[],
  shuffle: boolean,
  seedText: string,
): Option[] {
  const ordered = [...options];
  if (!shuffle) return ordered;
  const random = seededRandom(hash32(seedText));
  // Fisher–Yates: every order equally likely for a uniform source.
  for (let index = ordered.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [ordered[index], ordered[other]] = [ordered[other] as Option, ordered[index] as Option];
  }
  return ordered;
}

/** FNV-1a over the UTF-16 code units: spreads ids that differ in one character far apart. */
function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Mulberry32: a small generator with a 32-bit state. Each seed gives one order, so up to 12
 * options (12! ≈ 4.8 × 10⁸ < 2³²) every order can come up, and beyond that a sample of them;
 * what a ballot needs is that every option is as likely as any other in every place
 * (web/test/option-order.test.ts measures it). Not for secrets.
 */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}
