import { describe, expect, it } from 'vitest';
import { countOptions, listByVotes } from './option-counts.ts';
import { preparePiles } from './piles.ts';

describe('countOptions', () => {
  it('adds each pile to every option it names, listing every option in option order', () => {
    const counts = countOptions(
      [3, 1, 2, 4],
      [
        { choices: [1, 3], count: 2 },
        { choices: [3], count: 5 },
        { choices: [2], count: 0 },
        { choices: [1, 3], count: 1 },
      ],
    );
    expect([...counts]).toEqual([
      [1, 3],
      [2, 0],
      [3, 8],
      [4, 0],
    ]);
  });
});

describe('listByVotes', () => {
  it('puts most votes first and breaks ties by ascending option id', () => {
    const options = [
      { option_id: 1, label: 'Cats' },
      { option_id: 2, label: 'Dogs' },
      { option_id: 3, label: 'Fish' },
      { option_id: 4, label: 'Birds' },
    ];
    const counts = new Map([
      [4, 5],
      [3, 7],
      [2, 5],
    ]);
    expect(listByVotes(options, counts)).toEqual([
      { option_id: 3, label: 'Fish', votes: 7 },
      { option_id: 2, label: 'Dogs', votes: 5 },
      { option_id: 4, label: 'Birds', votes: 5 },
      { option_id: 1, label: 'Cats', votes: 0 },
    ]);
  });
});

describe('preparePiles', () => {
  it('drops empty piles, merges equal choices and sorts options and piles', () => {
    const prepared = preparePiles(
      [2, 1, 3],
      [
        { choices: [2, 1], count: 1 },
        { choices: [1], count: 0 },
        { choices: [1, 2], count: 2 },
        { choices: [2, 1], count: 4 },
        { choices: [2], count: 1 },
      ],
    );
    expect(prepared).toEqual({
      optionIds: [1, 2, 3],
      piles: [
        { choices: [1, 2], count: 2 },
        { choices: [2], count: 1 },
        { choices: [2, 1], count: 5 },
      ],
      ballots: 8,
    });
  });

  it('refuses corrupt input instead of counting it', () => {
    expect(() => preparePiles([1, 2], [{ choices: [1], count: -1 }])).toThrow(RangeError);
    expect(() => preparePiles([1, 2], [{ choices: [1], count: 1.5 }])).toThrow(RangeError);
    expect(() => preparePiles([1, 2], [{ choices: [3], count: 1 }])).toThrow(/option 3/);
    expect(() => preparePiles([1, 2], [{ choices: [1, 1], count: 1 }])).toThrow(/more than once/);
    expect(() => preparePiles([1, 1], [])).toThrow(/distinct/);
  });
});
