import { describe, expect, it } from 'vitest';
import { parseBallot } from './ballot.ts';
import { countedChoices, isMethod, METHOD_TRAITS } from './methods.ts';
import { METHODS } from './types.ts';

describe('METHOD_TRAITS', () => {
  it('describes every method, and only those', () => {
    expect(Object.keys(METHOD_TRAITS).sort()).toEqual([...METHODS].sort());
    for (const method of METHODS) expect(isMethod(method)).toBe(true);
    expect(isMethod('borda')).toBe(false);
  });

  it.each(METHODS)('%s: the ballot field is the one parseBallot reads', (method) => {
    const field = METHOD_TRAITS[method].ballotField;
    const ballot = field === 'option_id' ? 1 : [1];
    const parsed = parseBallot({ method, optionIds: [1, 2] }, { [field]: ballot });
    expect(parsed).toEqual({ ok: true, choices: [1] });
  });

  it.each(METHODS)('%s: counts every choice, or the first one of a ranking', (method) => {
    const counted = countedChoices(method, [2, 1]);
    expect(counted).toEqual(METHOD_TRAITS[method].ranks ? [2] : [2, 1]);
  });
});
