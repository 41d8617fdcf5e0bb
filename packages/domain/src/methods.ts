import { METHODS, type Method, type OptionId } from './types.ts';

/**
 * What each voting method is: the one table every layer reads (the ballot parser, the counting
 * SQL's mirror in migration 0004, the result reads, the metrics, the export, the worker and the
 * pages). Adding a method starts at METHODS (types.ts) and here; `methods.test.ts` and the
 * database's rules test fail until every layer follows.
 */
export interface MethodTraits {
  /** The request body field that carries a ballot of this method. */
  ballotField: 'option_id' | 'option_ids' | 'ranking';
  /**
   * A ballot is an order (best first) rather than a set. Ranked ballots are tabulated from their
   * piles by the worker, and their per-option figure counts first choices only.
   */
  ranks: boolean;
  /** The round may set `min_choices`/`max_choices`: how many options a ballot must and may name. */
  choiceLimits: boolean;
  /** What people call the method, on the pages. */
  name: string;
  /** One sentence a voter or organizer reads to understand the method. */
  summary: string;
  /** What the per-option figure counts, as a column heading (`Votes`, `Approvals`, …). */
  figure: string;
  /** One of what the figure counts, for "3 votes", "1 approval". */
  unit: string;
  /** How to read the figure, when it needs saying. */
  figureNote: string | null;
}

export const METHOD_TRAITS: Readonly<Record<Method, MethodTraits>> = {
  plurality: {
    ballotField: 'option_id',
    ranks: false,
    choiceLimits: false,
    name: 'Pick one',
    summary: 'Each voter chooses one option. Most votes wins.',
    figure: 'Votes',
    unit: 'vote',
    figureNote: null,
  },
  approval: {
    ballotField: 'option_ids',
    ranks: false,
    choiceLimits: true,
    name: 'Approval (pick any)',
    summary: 'Each voter ticks every option they like. Most approvals wins.',
    figure: 'Approvals',
    unit: 'approval',
    figureNote: 'Share of ballots approving each option (a ballot may approve several).',
  },
  ranked: {
    ballotField: 'ranking',
    ranks: true,
    choiceLimits: false,
    name: 'Ranked choice (instant runoff)',
    summary:
      'Voters rank the options. The last option is dropped round by round (instant runoff) until one has a majority.',
    figure: 'First choices',
    unit: 'vote',
    figureNote: 'How many ballots rank each option first.',
  },
  condorcet: {
    ballotField: 'ranking',
    ranks: true,
    choiceLimits: false,
    name: 'Ranked, head to head (Condorcet)',
    summary:
      'Voters rank the options. The option preferred over each other one wins (Schulze method).',
    figure: 'First choices',
    unit: 'vote',
    figureNote: 'How many ballots rank each option first.',
  },
};

export function isMethod(value: unknown): value is Method {
  return typeof value === 'string' && (METHODS as readonly string[]).includes(value);
}

/**
 * The options a canonical ballot counts for in the per-option figures: every chosen option, or
 * on a ranked ballot its first choice only (the full ranking counts in the tabulation).
 */
export function countedChoices(method: Method, choices: readonly OptionId[]): readonly OptionId[] {
  return METHOD_TRAITS[method].ranks ? choices.slice(0, 1) : choices;
}
