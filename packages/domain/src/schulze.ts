import { type PreparedPiles, preparePiles } from './piles.ts';
import type { OptionId, Pile } from './types.ts';

export interface SchulzeResult {
  /** d[i][j]: ballots preferring option_ids[i] over option_ids[j]. */
  pairwise: number[][];
  /** p[i][j]: strength of the strongest (widest) path from option_ids[i] to option_ids[j]. */
  strongest_paths: number[][];
  /** Tiers, best first; options in one tier are tied. */
  ranking: OptionId[][];
  /** The first tier; empty when there are no ballots, since nobody wins an empty vote. */
  winners: OptionId[];
  /** The option beating every other option head to head, if there is one. */
  condorcet_winner: OptionId | null;
  /** Option order; the index order of both matrices. */
  option_ids: OptionId[];
}

/**
 * The Schulze method (a Condorcet method), with link strength measured in WINNING VOTES: the
 * link from A to B has strength d[A][B] when d[A][B] > d[B][A] and 0 otherwise. Winning votes is
 * the variant Schulze recommends and the one used in the published examples, so our numbers can
 * be checked against them by hand.
 *
 * - A ballot prefers every ranked option over every unranked one; unranked options are equal
 *   among themselves, so a ballot says nothing about how they compare with each other.
 * - Strongest paths come from the widest-path variant of Floyd–Warshall.
 * - A is above B when p[A][B] > p[B][A]. That relation is transitive, so tiers are built by
 *   repeatedly taking every remaining option that no remaining option is above. Options in one
 *   tier are reported as tied: ties are never hidden behind an arbitrary order.
 */
export function tabulateSchulze(
  optionIds: readonly OptionId[],
  piles: readonly Pile[],
): SchulzeResult {
  return schulzeFromPrepared(preparePiles(optionIds, piles));
}

/** `tabulateSchulze` of input `preparePiles` already cleaned up. */
export function schulzeFromPrepared(prepared: PreparedPiles): SchulzeResult {
  const ids = prepared.optionIds;
  const pairwise = pairwisePreferences(ids, prepared.piles);
  const paths = strongestPaths(pairwise);
  const ranking = rankByPaths(ids, paths);
  const noBallots = prepared.ballots === 0;
  return {
    pairwise,
    strongest_paths: paths,
    ranking,
    winners: noBallots ? [] : [...(ranking[0] ?? [])],
    condorcet_winner: noBallots ? null : condorcetWinner(ids, pairwise),
    option_ids: [...ids],
  };
}

/** Cell of a square matrix; indices always come from loops bounded by its size. */
function at(matrix: readonly (readonly number[])[], i: number, j: number): number {
  return matrix[i]?.[j] ?? 0;
}

function squareMatrix(size: number): number[][] {
  return Array.from({ length: size }, () => new Array<number>(size).fill(0));
}

function pairwisePreferences(ids: readonly OptionId[], piles: readonly Pile[]): number[][] {
  const indexOf = new Map(ids.map((id, index) => [id, index]));
  const d = squareMatrix(ids.length);
  for (const pile of piles) {
    const ranked = pile.choices.map((id) => indexOf.get(id) ?? -1);
    const isRanked = new Set(ranked);
    for (const [position, winner] of ranked.entries()) {
      const row = d[winner];
      if (row === undefined) continue;
      // Beats every option ranked below it...
      for (const loser of ranked.slice(position + 1)) row[loser] = (row[loser] ?? 0) + pile.count;
      // ...and every option left unranked.
      for (let loser = 0; loser < ids.length; loser++) {
        if (!isRanked.has(loser)) row[loser] = (row[loser] ?? 0) + pile.count;
      }
    }
  }
  return d;
}

function strongestPaths(d: readonly (readonly number[])[]): number[][] {
  const size = d.length;
  const p = squareMatrix(size);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const row = p[i];
      if (row !== undefined && i !== j && at(d, i, j) > at(d, j, i)) row[j] = at(d, i, j);
    }
  }
  // Widest path: a path is as strong as its weakest link; keep the strongest path found so far,
  // allowing option `via` as an intermediate step.
  for (let via = 0; via < size; via++) {
    for (let from = 0; from < size; from++) {
      if (from === via || at(p, from, via) === 0) continue;
      const row = p[from];
      if (row === undefined) continue;
      for (let to = 0; to < size; to++) {
        if (to === from || to === via) continue;
        row[to] = Math.max(at(p, from, to), Math.min(at(p, from, via), at(p, via, to)));
      }
    }
  }
  return p;
}

function rankByPaths(ids: readonly OptionId[], p: readonly (readonly number[])[]): OptionId[][] {
  let remaining = ids.map((_, index) => index);
  const tiers: OptionId[][] = [];
  while (remaining.length > 0) {
    const unbeaten = remaining.filter((candidate) =>
      remaining.every((other) => at(p, other, candidate) <= at(p, candidate, other)),
    );
    // Transitivity guarantees someone is unbeaten; the guard only stops an endless loop.
    if (unbeaten.length === 0) throw new Error('Schulze relation is not transitive');
    tiers.push(unbeaten.map((index) => ids[index] ?? 0));
    remaining = remaining.filter((index) => !unbeaten.includes(index));
  }
  return tiers;
}

function condorcetWinner(
  ids: readonly OptionId[],
  d: readonly (readonly number[])[],
): OptionId | null {
  const index = ids.findIndex((_, i) => ids.every((__, j) => i === j || at(d, i, j) > at(d, j, i)));
  return ids[index] ?? null;
}
