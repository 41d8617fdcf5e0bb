import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalResultJson } from './canonical-json.ts';
import { tabulateInstantRunoff } from './instant-runoff.ts';
import { tabulateSchulze } from './schulze.ts';
import { tabulate } from './tabulate.ts';
import type { OptionId, Pile } from './types.ts';
import { METHODS, type Method } from './types.ts';

const RUNS = { numRuns: 200 };

interface Profile {
  optionIds: OptionId[];
  piles: Pile[];
}

/** 2–6 options and up to 10 piles of partial rankings; some piles are empty. */
const profile = (minOptions = 2, maxOptions = 6): fc.Arbitrary<Profile> =>
  fc.integer({ min: minOptions, max: maxOptions }).chain((n) => {
    const optionIds = Array.from({ length: n }, (_, i) => i + 1);
    const pile = fc.record({
      choices: fc.shuffledSubarray(optionIds, { minLength: 1 }),
      count: fc.integer({ min: 0, max: 5 }),
    });
    return fc.record({
      optionIds: fc.constant(optionIds),
      piles: fc.array(pile, { maxLength: 10 }),
    });
  });

/** The canonical ballot a method would store for a ranking-shaped pile. */
function canonicalFor(method: Method, piles: readonly Pile[]): Pile[] {
  return piles.map(({ choices, count }) => {
    if (method === 'plurality') return { choices: choices.slice(0, 1), count };
    if (method === 'approval') return { choices: [...choices].sort((a, b) => a - b), count };
    return { choices, count };
  });
}

/**
 * Reference head-to-head count, written independently of schulze.ts: ballots ranking `a`
 * above `b`, where any ranked option is above every unranked one.
 */
function preferring(piles: readonly Pile[], a: OptionId, b: OptionId): number {
  let votes = 0;
  for (const { choices, count } of piles) {
    const rankA = choices.indexOf(a);
    const rankB = choices.indexOf(b);
    if (rankA !== -1 && (rankB === -1 || rankA < rankB)) votes += count;
  }
  return votes;
}

/** The option that beats (`sign` 1) or loses to (`sign` -1) every other option, if any. */
function condorcetExtreme({ optionIds, piles }: Profile, sign: 1 | -1): OptionId | null {
  const found = optionIds.find((a) =>
    optionIds.every(
      (b) => a === b || sign * (preferring(piles, a, b) - preferring(piles, b, a)) > 0,
    ),
  );
  return found ?? null;
}

function splitInTwo(pile: Pile): Pile[] {
  const half = Math.floor(pile.count / 2);
  return [
    { choices: pile.choices, count: half },
    { choices: pile.choices, count: pile.count - half },
  ];
}

const ballotsIn = (piles: readonly Pile[]) => piles.reduce((sum, pile) => sum + pile.count, 0);

describe('properties', () => {
  it('results do not depend on pile order, splitting or empty piles', () => {
    const input = profile().chain((p) =>
      fc.record({
        p: fc.constant(p),
        shuffled: fc.shuffledSubarray(p.piles, { minLength: p.piles.length }),
        method: fc.constantFrom(...METHODS),
        roundId: fc.string(),
      }),
    );
    fc.assert(
      fc.property(input, ({ p, shuffled, method, roundId }) => {
        const rules = { method, optionIds: p.optionIds };
        const original = tabulate(rules, canonicalFor(method, p.piles), roundId);
        // Reorder, split the first pile in two and add an empty pile: the same multiset.
        const [first, ...rest] = shuffled;
        const rearranged = first ? [{ ...first, count: 0 }, ...rest, ...splitInTwo(first)] : [];
        const recount = tabulate(rules, canonicalFor(method, rearranged), roundId);
        expect(canonicalResultJson(recount)).toBe(canonicalResultJson(original));
      }),
      RUNS,
    );
  });

  it('a Condorcet winner wins Schulze alone', () => {
    fc.assert(
      fc.property(profile(), (p) => {
        const winner = condorcetExtreme(p, 1);
        fc.pre(winner !== null);
        const result = tabulateSchulze(p.optionIds, p.piles);
        expect(result.winners).toEqual([winner]);
        expect(result.condorcet_winner).toBe(winner);
      }),
      RUNS,
    );
  });

  it('with two options, IRV and Schulze elect the unique plurality winner of first choices', () => {
    fc.assert(
      fc.property(profile(2, 2), (p) => {
        const firstChoices = (id: OptionId) =>
          ballotsIn(p.piles.filter((pile) => pile.choices[0] === id));
        const [one, two] = [firstChoices(1), firstChoices(2)];
        fc.pre(one !== two);
        const expected = one > two ? 1 : 2;
        expect(tabulateInstantRunoff(p.optionIds, p.piles, 'r').winner).toBe(expected);
        expect(tabulateSchulze(p.optionIds, p.piles).winners).toEqual([expected]);
      }),
      RUNS,
    );
  });

  it('the IRV winner holds more than half of the continuing ballots of its final round', () => {
    fc.assert(
      fc.property(profile(), fc.string(), (p, roundId) => {
        const result = tabulateInstantRunoff(p.optionIds, p.piles, roundId);
        if (ballotsIn(p.piles) === 0) {
          expect(result).toEqual({ rounds: [], winner: null });
          return;
        }
        const final = result.rounds.at(-1);
        const winnerVotes = final?.tallies.find((t) => t.option_id === result.winner)?.votes ?? 0;
        expect(winnerVotes * 2).toBeGreaterThan(final?.continuing_ballots ?? 0);
        expect(final?.eliminated).toEqual([]);
        expect((final?.continuing_ballots ?? 0) + (final?.exhausted ?? 0)).toBe(ballotsIn(p.piles));
      }),
      RUNS,
    );
  });

  it('monotonicity: raising a Schulze winner on one ballot keeps it a winner', () => {
    fc.assert(
      fc.property(profile(), fc.nat(), fc.nat(), (p, winnerPick, pilePick) => {
        const before = tabulateSchulze(p.optionIds, p.piles);
        fc.pre(before.winners.length > 0);
        const winner = before.winners[winnerPick % before.winners.length] ?? 0;
        const candidates = p.piles.filter((pile) => pile.count > 0 && pile.choices[0] !== winner);
        const chosen = candidates[pilePick % Math.max(candidates.length, 1)];
        fc.pre(chosen !== undefined);
        // Swap the winner with the option just above it, or append it if it was unranked.
        const raised = [...chosen.choices];
        const position = raised.indexOf(winner);
        if (position === -1) raised.push(winner);
        else raised.splice(position - 1, 2, winner, raised[position - 1] ?? 0);
        const piles = [
          ...p.piles.filter((pile) => pile !== chosen),
          { choices: chosen.choices, count: chosen.count - 1 },
          { choices: raised, count: 1 },
        ];
        expect(tabulateSchulze(p.optionIds, piles).winners).toContain(winner);
      }),
      RUNS,
    );
  });

  it('a Condorcet loser never wins IRV or Schulze', () => {
    fc.assert(
      fc.property(profile(), fc.string(), (p, roundId) => {
        const loser = condorcetExtreme(p, -1);
        fc.pre(loser !== null);
        expect(tabulateInstantRunoff(p.optionIds, p.piles, roundId).winner).not.toBe(loser);
        expect(tabulateSchulze(p.optionIds, p.piles).winners).not.toContain(loser);
      }),
      RUNS,
    );
  });
});
