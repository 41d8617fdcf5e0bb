import { describe, expect, it } from 'vitest';
import { canonicalResultJson, resultsEqual } from './canonical-json.ts';
import { tabulate } from './tabulate.ts';
import type { Pile } from './types.ts';

const piles: Pile[] = [
  { choices: [2, 1], count: 3 },
  { choices: [1], count: 2 },
  { choices: [3, 1], count: 0 },
];

describe('tabulate', () => {
  it('counts plurality and approval rounds per option in option order', () => {
    const plurality = tabulate(
      { method: 'plurality', optionIds: [3, 2, 1] },
      [
        { choices: [2], count: 3 },
        { choices: [1], count: 2 },
      ],
      'r',
    );
    expect(plurality).toEqual({
      method: 'plurality',
      counts: [
        { option_id: 1, votes: 2 },
        { option_id: 2, votes: 3 },
        { option_id: 3, votes: 0 },
      ],
      ballots: 5,
    });
    const approval = tabulate({ method: 'approval', optionIds: [1, 2, 3] }, piles, 'r');
    expect(approval).toMatchObject({ method: 'approval', ballots: 5 });
    expect(approval.method === 'approval' && approval.counts[0]).toEqual({
      option_id: 1,
      votes: 5,
    });
  });

  it('runs instant runoff for ranked rounds', () => {
    const result = tabulate({ method: 'ranked', optionIds: [1, 2, 3] }, piles, 'r');
    expect(result.method).toBe('ranked');
    expect(result.ballots).toBe(5);
    expect(result.method === 'ranked' && result.irv.winner).toBe(2);
  });

  it('runs Schulze for condorcet rounds', () => {
    const result = tabulate({ method: 'condorcet', optionIds: [1, 2, 3] }, piles, 'r');
    expect(result.method).toBe('condorcet');
    expect(result.method === 'condorcet' && result.schulze.winners).toEqual([2]);
  });
});

describe('canonicalResultJson', () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(canonicalResultJson({ b: 1, a: [{ d: 2, c: null }], e: undefined })).toBe(
      '{"a":[{"c":null,"d":2}],"b":1}',
    );
  });

  it('treats results built in a different key order as equal, and different ones as not', () => {
    expect(resultsEqual({ x: 1, y: [1, 2] }, { y: [1, 2], x: 1 })).toBe(true);
    expect(resultsEqual({ x: 1, y: [1, 2] }, { x: 1, y: [2, 1] })).toBe(false);
  });
});
