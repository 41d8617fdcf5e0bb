import { describe, expect, it } from 'vitest';
import { parseBallot } from './ballot.ts';
import type { Method, RoundRules } from './types.ts';

const optionIds = [1, 2, 3, 4];
const rules = (method: Method, extra: Partial<RoundRules> = {}): RoundRules => ({
  method,
  optionIds,
  ...extra,
});
const refused = (message: string, reason: 'invalid' | 'unknown_option' = 'invalid') => ({
  ok: false,
  reason,
  message,
});

describe('parseBallot: plurality', () => {
  const plurality = rules('plurality');

  it('accepts option_id and ignores round_id and unknown keys', () => {
    expect(parseBallot(plurality, { round_id: 'r1', option_id: 3, note: 'hi' })).toEqual({
      ok: true,
      choices: [3],
    });
  });

  it('refuses an unknown option with reason unknown_option (404 option_not_found)', () => {
    expect(parseBallot(plurality, { option_id: 7 })).toEqual(
      refused('option 7 is not an option of this round', 'unknown_option'),
    );
    expect(parseBallot(plurality, { option_id: 0 })).toMatchObject({ reason: 'unknown_option' });
  });

  it.each([['3'], [2.5], [null], [true], [[3]], [Number.NaN], [1e300]])(
    'refuses the non-integer option_id %j',
    (value) => {
      expect(parseBallot(plurality, { option_id: value })).toEqual(
        refused('option_id must be an integer option id'),
      );
    },
  );

  it('refuses the shapes of other methods', () => {
    const message = 'this round uses plurality voting: send option_id';
    expect(parseBallot(plurality, { option_ids: [1] })).toEqual(refused(message));
    expect(parseBallot(plurality, { ranking: [1] })).toEqual(refused(message));
    expect(parseBallot(plurality, { round_id: 'r1' })).toEqual(refused(message));
  });

  it('refuses a body carrying the right field next to another method’s field', () => {
    expect(parseBallot(plurality, { option_id: 1, option_ids: [1] })).toEqual(
      refused('this round uses plurality voting: send option_id only, not option_ids'),
    );
  });
});

describe('parseBallot: approval', () => {
  const approval = rules('approval');

  it('accepts a set of option ids and sorts it', () => {
    expect(parseBallot(approval, { round_id: 'r', option_ids: [4, 1, 3] })).toEqual({
      ok: true,
      choices: [1, 3, 4],
    });
    expect(parseBallot(approval, { option_ids: [1, 2, 3, 4] })).toMatchObject({ ok: true });
  });

  it('refuses the shapes of other methods', () => {
    const message = 'this round uses approval voting: send option_ids';
    expect(parseBallot(approval, { option_id: 1 })).toEqual(refused(message));
    expect(parseBallot(approval, { ranking: [1] })).toEqual(refused(message));
    expect(parseBallot(approval, {})).toEqual(refused(message));
  });

  it('refuses option_ids that is not an array', () => {
    expect(parseBallot(approval, { option_ids: 1 })).toEqual(
      refused('option_ids must be an array of option ids'),
    );
  });

  it('refuses non-integer ids, naming their position', () => {
    expect(parseBallot(approval, { option_ids: [1, 'two'] })).toEqual(
      refused('option_ids[1] must be an integer option id'),
    );
    expect(parseBallot(approval, { option_ids: [1.5] })).toEqual(
      refused('option_ids[0] must be an integer option id'),
    );
  });

  it('refuses an unknown option as an invalid ballot (not a 404)', () => {
    expect(parseBallot(approval, { option_ids: [1, 7] })).toEqual(
      refused('option 7 is not an option of this round'),
    );
  });

  it('refuses a duplicate option', () => {
    expect(parseBallot(approval, { option_ids: [2, 1, 2] })).toEqual(
      refused('option 2 appears more than once in option_ids'),
    );
  });

  it('applies the default limits: at least one option, at most all of them', () => {
    expect(parseBallot(approval, { option_ids: [] })).toEqual(refused('choose at least 1 option'));
  });

  it('applies the round limits, with singular and plural wording', () => {
    const limited = rules('approval', { minChoices: 2, maxChoices: 3 });
    expect(parseBallot(limited, { option_ids: [1] })).toEqual(refused('choose at least 2 options'));
    expect(parseBallot(limited, { option_ids: [1, 2, 3, 4] })).toEqual(
      refused('choose at most 3 options'),
    );
    expect(parseBallot(limited, { option_ids: [3, 2] })).toEqual({ ok: true, choices: [2, 3] });
    expect(parseBallot(limited, { option_ids: [1, 2, 3] })).toMatchObject({ ok: true });
    const single = rules('approval', { maxChoices: 1 });
    expect(parseBallot(single, { option_ids: [1, 2] })).toEqual(refused('choose at most 1 option'));
  });
});

describe.each(['ranked', 'condorcet'] as const)('parseBallot: %s', (method) => {
  const ranked = rules(method);

  it('accepts a full ranking and keeps its order', () => {
    expect(parseBallot(ranked, { round_id: 'r', ranking: [3, 1, 4, 2] })).toEqual({
      ok: true,
      choices: [3, 1, 4, 2],
    });
  });

  it('accepts a partial ranking', () => {
    expect(parseBallot(ranked, { ranking: [4] })).toEqual({ ok: true, choices: [4] });
  });

  it('refuses the shapes of other methods', () => {
    const message = `this round uses ${method} voting: send ranking`;
    expect(parseBallot(ranked, { option_id: 1 })).toEqual(refused(message));
    expect(parseBallot(ranked, { option_ids: [1, 2] })).toEqual(refused(message));
  });

  it('refuses a ranking that is not an array', () => {
    expect(parseBallot(ranked, { ranking: '1,2' })).toEqual(
      refused('ranking must be an array of option ids'),
    );
  });

  it('refuses an empty ranking', () => {
    expect(parseBallot(ranked, { ranking: [] })).toEqual(
      refused('ranking must list at least one option'),
    );
  });

  it('refuses non-integer ids, unknown options and duplicates', () => {
    expect(parseBallot(ranked, { ranking: [2, null] })).toEqual(
      refused('ranking[1] must be an integer option id'),
    );
    expect(parseBallot(ranked, { ranking: [2, 9] })).toEqual(
      refused('option 9 is not an option of this round'),
    );
    expect(parseBallot(ranked, { ranking: [2, 3, 2] })).toEqual(
      refused('option 2 appears more than once in ranking'),
    );
  });
});
