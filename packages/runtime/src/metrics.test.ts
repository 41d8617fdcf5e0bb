import { describe, expect, it } from 'vitest';
import { RoundSeriesBound } from './metrics.ts';

describe('RoundSeriesBound', () => {
  it('keeps at most maxRounds rounds, dropping the least recently active', () => {
    const dropped: string[] = [];
    const bound = new RoundSeriesBound(2, 60_000, () => 0);
    for (const round of ['a', 'b', 'a', 'c']) bound.touch(round, () => dropped.push(round));
    expect(dropped).toEqual(['b']);
    expect(bound.size).toBe(2);
  });

  it('drops a closed round once its TTL has passed', () => {
    let now = 0;
    const dropped: string[] = [];
    const bound = new RoundSeriesBound(10, 1000, () => now);
    bound.touch('a', () => dropped.push('a'));
    bound.touch('b', () => dropped.push('b'));
    bound.closed('a');
    now = 999;
    bound.touch('b', () => dropped.push('b'));
    expect(dropped).toEqual([]);
    now = 1000;
    bound.touch('b', () => dropped.push('b'));
    expect(dropped).toEqual(['a']);
    expect(bound.size).toBe(1);
  });

  it('keeps a closed round closed when it is touched again, and forgets it once dropped', () => {
    let now = 0;
    const dropped: string[] = [];
    const bound = new RoundSeriesBound(10, 1000, () => now);
    bound.touch('a', () => dropped.push('a'));
    bound.closed('a');
    now = 600;
    bound.touch('a', () => dropped.push('a'));
    bound.closed('a');
    now = 1000;
    bound.touch('b', () => dropped.push('b'));
    expect(dropped).toEqual(['a']);
    // Back after being dropped: tracked afresh, open until closed again.
    bound.touch('a', () => dropped.push('a'));
    now = 5000;
    bound.touch('b', () => dropped.push('b'));
    expect(dropped).toEqual(['a']);
    expect(bound.size).toBe(2);
  });
});
