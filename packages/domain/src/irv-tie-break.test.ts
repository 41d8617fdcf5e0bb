import { describe, expect, it } from 'vitest';
import { breakEliminationTie } from './irv-tie-break.ts';
import { firstInSeededOrder, fnv1a32, seededOrderKey } from './seeded-order.ts';

const tallies = (entries: Record<number, number>) =>
  new Map(Object.entries(entries).map(([id, votes]) => [Number(id), votes]));

describe('breakEliminationTie', () => {
  it('stage 1: eliminates the option with fewest votes in the previous round', () => {
    const history = [tallies({ 1: 1, 2: 9 }), tallies({ 1: 6, 2: 5 })];
    expect(breakEliminationTie([1, 2], history, 's')).toEqual({
      eliminated: 2,
      tieBreak: 'previous_round',
    });
  });

  it('stage 2: uses the earliest round that separates them', () => {
    const history = [tallies({ 1: 4, 2: 4 }), tallies({ 1: 5, 2: 3 }), tallies({ 1: 2, 2: 7 })];
    const withEqualPrevious = [...history, tallies({ 1: 8, 2: 8 })];
    expect(breakEliminationTie([1, 2], withEqualPrevious, 's')).toEqual({
      eliminated: 2,
      tieBreak: 'earlier_round',
    });
  });

  it('stage 1 narrows the field before earlier rounds are consulted', () => {
    // Option 3 did better in the previous round, so round 1 (where it had fewest) cannot
    // eliminate it; round 1 decides only between 1 and 2.
    const history = [tallies({ 1: 3, 2: 2, 3: 1 }), tallies({ 1: 4, 2: 4, 3: 5 })];
    expect(breakEliminationTie([1, 2, 3], history, 's')).toEqual({
      eliminated: 2,
      tieBreak: 'earlier_round',
    });
  });

  it('stage 3: uses the seeded order when no round separates them', () => {
    const history = [tallies({ 1: 2, 2: 2, 3: 2 })];
    const result = breakEliminationTie([1, 2, 3], history, 'round-42');
    expect(result.tieBreak).toBe('seeded_order');
    expect(result.eliminated).toBe(firstInSeededOrder('round-42', [1, 2, 3]));
    // Reproducible: the same seed always gives the same answer.
    expect(breakEliminationTie([3, 2, 1], history, 'round-42')).toEqual(result);
  });

  it('stage 3 applies in the first round, which has no history', () => {
    expect(breakEliminationTie([2, 5], [], 'abc').tieBreak).toBe('seeded_order');
  });
});

describe('seeded order', () => {
  it('implements 32-bit FNV-1a (published test vectors)', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('hashes UTF-8 bytes, so non-ASCII round ids order the same everywhere', () => {
    // "é" is the two UTF-8 bytes C3 A9; "€" is E2 82 AC; "😀" is F0 9F 98 80.
    const bytesHash = (bytes: number[]) =>
      bytes.reduce((hash, byte) => Math.imul(hash ^ byte, 0x01000193) >>> 0, 0x811c9dc5);
    expect(fnv1a32('é')).toBe(bytesHash([0xc3, 0xa9]));
    expect(fnv1a32('€')).toBe(bytesHash([0xe2, 0x82, 0xac]));
    expect(fnv1a32('😀')).toBe(bytesHash([0xf0, 0x9f, 0x98, 0x80]));
  });

  it('keys an option by the hash of "seed:id" and puts the lowest key first', () => {
    expect(seededOrderKey('r1', 7)).toBe(fnv1a32('r1:7'));
    const ids = [1, 2, 3, 4, 5, 6];
    const lowest = [...ids].sort((a, b) => seededOrderKey('r1', a) - seededOrderKey('r1', b))[0];
    expect(firstInSeededOrder('r1', ids)).toBe(lowest);
    expect(firstInSeededOrder('r1', [...ids].reverse())).toBe(lowest);
  });
});
