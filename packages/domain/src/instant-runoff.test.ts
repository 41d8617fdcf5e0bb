import { describe, expect, it } from 'vitest';
import { canonicalResultJson } from './canonical-json.ts';
import { tabulateInstantRunoff } from './instant-runoff.ts';
import { firstInSeededOrder } from './seeded-order.ts';
import type { Pile } from './types.ts';

const pile = (count: number, ...choices: number[]): Pile => ({ choices, count });

describe('tabulateInstantRunoff: counting', () => {
  it('elects a first-round majority without eliminating anyone', () => {
    const result = tabulateInstantRunoff([1, 2, 3], [pile(3, 2), pile(1, 1), pile(1, 3)], 'r');
    expect(result.winner).toBe(2);
    expect(result.rounds).toEqual([
      {
        number: 1,
        tallies: [
          { option_id: 1, votes: 1 },
          { option_id: 2, votes: 3 },
          { option_id: 3, votes: 1 },
        ],
        continuing_ballots: 5,
        exhausted: 0,
        eliminated: [],
        transfers: [],
      },
    ]);
  });

  it('requires MORE than half: exactly half is not enough', () => {
    // Round 1: 1 has 3 of 6 ballots, so 3 (fewest) is eliminated and its ballot moves to 1.
    const result = tabulateInstantRunoff([1, 2, 3], [pile(3, 1), pile(2, 2), pile(1, 3, 1)], 'r');
    expect(result.rounds[0]?.eliminated).toEqual([3]);
    expect(result.rounds[0]).not.toHaveProperty('elimination_tie_break');
    expect(result.rounds[0]?.transfers).toEqual([{ from: 3, to: 1, votes: 1 }]);
    expect(result.rounds[1]?.tallies).toEqual([
      { option_id: 1, votes: 4 },
      { option_id: 2, votes: 2 },
    ]);
    expect(result.winner).toBe(1);
  });

  it('measures the majority against continuing ballots, not all ballots', () => {
    // After 3 goes, its 3 ballots are exhausted: 1 wins with 4 of 7 continuing, not of 10.
    const result = tabulateInstantRunoff([1, 2, 3], [pile(4, 1), pile(3, 2), pile(3, 3)], 'r');
    expect(result.rounds).toHaveLength(2);
    const final = result.rounds[1];
    expect(final?.continuing_ballots).toBe(7);
    expect(final?.exhausted).toBe(3);
    expect(result.winner).toBe(1);
  });

  it('reports transfers to several destinations and to exhausted, in a stable order', () => {
    const piles = [pile(5, 1), pile(4, 2), pile(1, 3, 2), pile(1, 3, 1), pile(1, 3)];
    const result = tabulateInstantRunoff([1, 2, 3], piles, 'r');
    expect(result.rounds[0]?.transfers).toEqual([
      { from: 3, to: 1, votes: 1 },
      { from: 3, to: 2, votes: 1 },
      { from: 3, to: null, votes: 1 },
    ]);
    expect(result.rounds[1]?.exhausted).toBe(1);
  });

  it('eliminates every option without votes together, without a tie-break', () => {
    const piles = [pile(3, 1), pile(2, 2), pile(1, 3, 2)];
    const result = tabulateInstantRunoff([1, 2, 3, 4, 5], piles, 'r');
    expect(result.rounds[0]?.eliminated).toEqual([4, 5]);
    expect(result.rounds[0]?.transfers).toEqual([]);
    expect(result.rounds[0]).not.toHaveProperty('elimination_tie_break');
    expect(result.rounds[1]?.tallies.map((tally) => tally.option_id)).toEqual([1, 2, 3]);
  });

  it('counts no round and elects nobody without ballots', () => {
    expect(tabulateInstantRunoff([1, 2], [], 'r')).toEqual({ rounds: [], winner: null });
    expect(tabulateInstantRunoff([1, 2], [pile(0, 1)], 'r')).toEqual({ rounds: [], winner: null });
  });

  it('elects a lone option as soon as it holds a ballot', () => {
    expect(tabulateInstantRunoff([1], [pile(2, 1)], 'r').winner).toBe(1);
  });
});

describe('tabulateInstantRunoff: elimination ties', () => {
  it('breaks a tie with the previous round first', () => {
    // Round 2 ties options 2 and 3 at 5; in round 1 option 2 had 4 and option 3 had 5.
    const piles = [pile(10, 1), pile(4, 2), pile(5, 3), pile(1, 4, 2), pile(2, 4)];
    const result = tabulateInstantRunoff([1, 2, 3, 4], piles, 'r');
    const round2 = result.rounds[1];
    expect(round2?.tallies).toEqual([
      { option_id: 1, votes: 10 },
      { option_id: 2, votes: 5 },
      { option_id: 3, votes: 5 },
    ]);
    expect(round2?.eliminated).toEqual([2]);
    expect(round2?.elimination_tie_break).toBe('previous_round');
    expect(round2?.transfers).toEqual([{ from: 2, to: null, votes: 5 }]);
    expect(result.rounds[2]?.exhausted).toBe(7);
    expect(result.winner).toBe(1);
  });

  it('falls back to the earliest round that separates the tied options', () => {
    // Round 3 ties 2 and 3 at 4; round 2 had them 4–4 too; round 1 had them 3–4.
    const piles = [pile(7, 1), pile(3, 2), pile(4, 3), pile(2, 4), pile(1, 5, 2)];
    const result = tabulateInstantRunoff([1, 2, 3, 4, 5], piles, 'r');
    expect(result.rounds.map((round) => round.eliminated)).toEqual([[5], [4], [2], []]);
    expect(result.rounds[2]?.elimination_tie_break).toBe('earlier_round');
    expect(result.rounds[1]).not.toHaveProperty('elimination_tie_break');
    expect(result.winner).toBe(1);
  });

  it('falls back to the seeded order, reproducibly, when no round separates them', () => {
    const piles = [pile(2, 1), pile(1, 2), pile(1, 3)];
    const eliminatedBySeed = new Map<string, number | undefined>();
    for (let i = 0; i < 20; i++) {
      const seed = `round-${i}`;
      const result = tabulateInstantRunoff([1, 2, 3], piles, seed);
      const round1 = result.rounds[0];
      expect(round1?.elimination_tie_break).toBe('seeded_order');
      expect(round1?.eliminated).toEqual([firstInSeededOrder(seed, [2, 3])]);
      // Same seed, same piles in another order: byte-for-byte the same result.
      const again = tabulateInstantRunoff([3, 2, 1], [...piles].reverse(), seed);
      expect(canonicalResultJson(again)).toBe(canonicalResultJson(result));
      eliminatedBySeed.set(seed, round1?.eliminated[0]);
    }
    // The seed really decides: across rounds, each tied option is sometimes the one to go.
    expect(new Set(eliminatedBySeed.values())).toEqual(new Set([2, 3]));
  });

  it('still produces a winner from a final 1–1 tie', () => {
    const result = tabulateInstantRunoff([1, 2], [pile(1, 1), pile(1, 2)], 'round-x');
    const loser = firstInSeededOrder('round-x', [1, 2]);
    expect(result.rounds[0]?.eliminated).toEqual([loser]);
    expect(result.winner).toBe(loser === 1 ? 2 : 1);
  });
});
