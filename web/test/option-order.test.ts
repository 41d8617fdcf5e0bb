import { describe, expect, it } from 'vitest';
import { optionsForVoter } from '../src/client/lib/option-order.ts';

const options = ['A', 'B', 'C', 'D', 'E'];
const voters = Array.from({ length: 10_000 }, (_, index) => `voter-${index}:round-1`);

describe('optionsForVoter', () => {
  it('keeps the round’s order when the round does not shuffle', () => {
    expect(optionsForVoter(options, false, 'voter-1:round-1')).toEqual(options);
  });

  it('gives a voter the same order on every visit, and a permutation of the options', () => {
    const first = optionsForVoter(options, true, 'voter-1:round-1');
    expect(optionsForVoter(options, true, 'voter-1:round-1')).toEqual(first);
    expect([...first].sort()).toEqual(options);
    expect(options).toEqual(['A', 'B', 'C', 'D', 'E']);
  });

  it('gives voters different orders, and the same voter different orders in other rounds', () => {
    const orders = new Set(
      voters.slice(0, 200).map((seed) => optionsForVoter(options, true, seed).join('')),
    );
    // 200 voters over 120 possible orders: a uniform draw shows 97 distinct ones on average.
    expect(orders.size).toBeGreaterThan(85);
    const rounds = new Set(
      Array.from({ length: 50 }, (_, index) =>
        optionsForVoter(options, true, `voter-1:round-${index}`).join(''),
      ),
    );
    expect(rounds.size).toBeGreaterThan(30); // 41 on average
  });

  it('puts every option in every place about equally often', () => {
    const counts = options.map(() => options.map(() => 0));
    for (const seed of voters) {
      optionsForVoter(options, true, seed).forEach((option, place) => {
        const row = counts[options.indexOf(option)] as number[];
        row[place] = (row[place] ?? 0) + 1;
      });
    }
    // 2,000 expected per cell; a fair draw stays within ±10% (binomial sd ≈ 40, so ±5 sd).
    for (const row of counts) for (const count of row) expect(count).toBeGreaterThan(1800);
    for (const row of counts) for (const count of row) expect(count).toBeLessThan(2200);
  });
});
