import { describe, expect, it } from 'vitest';
import { tabulateSchulze } from './schulze.ts';
import type { Pile } from './types.ts';

const pile = (count: number, ...choices: number[]): Pile => ({ choices, count });

describe('tabulateSchulze', () => {
  it('ranks ranked options above unranked ones, and leaves unranked ones equal', () => {
    const result = tabulateSchulze([1, 2, 3], [pile(2, 2)]);
    expect(result.option_ids).toEqual([1, 2, 3]);
    expect(result.pairwise).toEqual([
      [0, 0, 0],
      [2, 0, 2],
      [0, 0, 0],
    ]);
    expect(result.ranking).toEqual([[2], [1, 3]]);
    expect(result.winners).toEqual([2]);
    expect(result.condorcet_winner).toBe(2);
  });

  it('uses winning votes: a losing or tied link has strength 0', () => {
    const result = tabulateSchulze([1, 2], [pile(3, 1, 2), pile(2, 2, 1)]);
    expect(result.pairwise).toEqual([
      [0, 3],
      [2, 0],
    ]);
    expect(result.strongest_paths).toEqual([
      [0, 3],
      [0, 0],
    ]);
  });

  it('reports a perfect cycle as a three-way tie instead of hiding it', () => {
    const piles = [pile(1, 1, 2, 3), pile(1, 2, 3, 1), pile(1, 3, 1, 2)];
    const result = tabulateSchulze([1, 2, 3], piles);
    expect(result.ranking).toEqual([[1, 2, 3]]);
    expect(result.winners).toEqual([1, 2, 3]);
    expect(result.condorcet_winner).toBeNull();
  });

  it('resolves a cycle by its weakest link', () => {
    // 1>2 by 7–2, 2>3 by 6–3, 3>1 by 5–4: the weakest defeat (3 over 1) is overridden.
    const piles = [pile(4, 1, 2, 3), pile(2, 2, 3, 1), pile(3, 3, 1, 2)];
    const result = tabulateSchulze([1, 2, 3], piles);
    expect(result.pairwise[0]?.[1]).toBe(7);
    expect(result.pairwise[1]?.[2]).toBe(6);
    expect(result.pairwise[2]?.[0]).toBe(5);
    expect(result.ranking).toEqual([[1], [2], [3]]);
    expect(result.condorcet_winner).toBeNull();
  });

  it('keeps options tied in the middle of the ranking in one tier', () => {
    const result = tabulateSchulze([1, 2, 3, 4], [pile(1, 1, 2, 3, 4), pile(1, 1, 3, 2, 4)]);
    expect(result.ranking).toEqual([[1], [2, 3], [4]]);
  });

  it('counts an unranked option as beaten even by a ballot’s last choice', () => {
    // 2 beats 4 on the first ballot; 4, ranked last, still beats the unranked 2 on the second.
    const result = tabulateSchulze([1, 2, 3, 4], [pile(1, 1, 2, 4), pile(1, 1, 3, 4)]);
    expect(result.pairwise[1]?.[3]).toBe(1);
    expect(result.pairwise[3]?.[1]).toBe(1);
    expect(result.ranking).toEqual([[1], [2, 3, 4]]);
  });

  it('elects nobody without ballots but still lists every option, all tied', () => {
    const result = tabulateSchulze([2, 1], [pile(0, 1)]);
    expect(result.option_ids).toEqual([1, 2]);
    expect(result.ranking).toEqual([[1, 2]]);
    expect(result.winners).toEqual([]);
    expect(result.condorcet_winner).toBeNull();
  });
});
