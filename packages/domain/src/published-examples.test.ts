import { describe, expect, it } from 'vitest';
import { tabulateInstantRunoff } from './instant-runoff.ts';
import { countOptions } from './option-counts.ts';
import { tabulateSchulze } from './schulze.ts';
import type { Pile } from './types.ts';

/** Builds piles from "count:ABC" strings, mapping letters to option ids through `letters`. */
function pilesFrom(letters: string, lines: string[]): Pile[] {
  return lines.map((line) => {
    const [count = '', ranking = ''] = line.split(':');
    return {
      count: Number(count),
      choices: [...ranking].map((letter) => letters.indexOf(letter) + 1),
    };
  });
}

describe('Wikipedia Schulze example (45 voters, A–E)', () => {
  const letters = 'ABCDE';
  const piles = pilesFrom(letters, [
    '5:ACBED',
    '5:ADECB',
    '8:BEDAC',
    '3:CABED',
    '7:CAEBD',
    '2:CBADE',
    '7:DCEBA',
    '8:EBADC',
  ]);
  const result = tabulateSchulze([1, 2, 3, 4, 5], piles);
  const cell = (matrix: number[][], from: string, to: string) =>
    matrix[letters.indexOf(from)]?.[letters.indexOf(to)];

  it('computes the pairwise preferences of the article', () => {
    const expected: Record<string, number> = {
      AB: 20,
      AC: 26,
      AD: 30,
      AE: 22,
      BA: 25,
      BC: 16,
      BD: 33,
      BE: 18,
      CA: 19,
      CB: 29,
      CD: 17,
      CE: 24,
      DA: 15,
      DB: 12,
      DC: 28,
      DE: 14,
      EA: 23,
      EB: 27,
      EC: 21,
      ED: 31,
    };
    for (const [pair, votes] of Object.entries(expected)) {
      expect(cell(result.pairwise, pair[0] ?? '', pair[1] ?? ''), pair).toBe(votes);
    }
  });

  it('computes the strongest paths of the article', () => {
    const expected: Record<string, number> = {
      AB: 28,
      AC: 28,
      AD: 30,
      AE: 24,
      BA: 25,
      BC: 28,
      BD: 33,
      BE: 24,
      CA: 25,
      CB: 29,
      CD: 29,
      CE: 24,
      DA: 25,
      DB: 28,
      DC: 28,
      DE: 24,
      EA: 25,
      EB: 28,
      EC: 28,
      ED: 31,
    };
    for (const [pair, strength] of Object.entries(expected)) {
      expect(cell(result.strongest_paths, pair[0] ?? '', pair[1] ?? ''), pair).toBe(strength);
    }
  });

  it('elects E and orders E > A > C > B > D, with no Condorcet winner', () => {
    const [a, b, c, d, e] = [1, 2, 3, 4, 5];
    expect(result.winners).toEqual([e]);
    expect(result.ranking).toEqual([[e], [a], [c], [b], [d]]);
    expect(result.condorcet_winner).toBeNull();
  });
});

describe('Tennessee capital example (100 voters)', () => {
  // Memphis 1, Nashville 2, Chattanooga 3, Knoxville 4.
  const letters = 'MNCK';
  const [memphis, nashville, chattanooga, knoxville] = [1, 2, 3, 4];
  const piles = pilesFrom(letters, ['42:MNCK', '26:NCKM', '15:CKNM', '17:KCNM']);
  const firstChoices = piles.map((pile) => ({ ...pile, choices: pile.choices.slice(0, 1) }));

  it('plurality of first choices elects Memphis', () => {
    const counts = countOptions([1, 2, 3, 4], firstChoices);
    expect([...counts]).toEqual([
      [memphis, 42],
      [nashville, 26],
      [chattanooga, 15],
      [knoxville, 17],
    ]);
  });

  it('instant runoff elects Knoxville after eliminating Chattanooga then Nashville', () => {
    const result = tabulateInstantRunoff([1, 2, 3, 4], piles, 'tennessee');
    expect(result.winner).toBe(knoxville);
    expect(result.rounds.map((round) => round.eliminated)).toEqual([
      [chattanooga],
      [nashville],
      [],
    ]);
    expect(result.rounds[0]?.transfers).toEqual([{ from: chattanooga, to: knoxville, votes: 15 }]);
    expect(result.rounds[1]?.transfers).toEqual([{ from: nashville, to: knoxville, votes: 26 }]);
    expect(result.rounds[2]?.tallies).toEqual([
      { option_id: memphis, votes: 42 },
      { option_id: knoxville, votes: 58 },
    ]);
  });

  it('Schulze elects Nashville, the Condorcet winner', () => {
    const result = tabulateSchulze([1, 2, 3, 4], piles);
    expect(result.condorcet_winner).toBe(nashville);
    expect(result.winners).toEqual([nashville]);
    expect(result.ranking).toEqual([[nashville], [chattanooga], [knoxville], [memphis]]);
  });
});
