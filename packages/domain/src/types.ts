/**
 * Core vocabulary of the voting domain. Everything here is plain data so results can be stored,
 * sent over HTTP and compared byte-for-byte (see canonical-json.ts).
 */

/** The voting methods; what each one is, is METHOD_TRAITS (methods.ts). */
export const METHODS = ['plurality', 'approval', 'ranked', 'condorcet'] as const;
export type Method = (typeof METHODS)[number];

/**
 * Who may vote in a round: anyone with its link (one ballot per `X-Voter-Id`), or only the holders
 * of its invitation codes (one ballot per code). Chosen at creation.
 */
export const VOTERS = ['anyone', 'invited'] as const;
export type Voters = (typeof VOTERS)[number];

/** Options of a round are numbered 1..n in creation order; "option order" means ascending id. */
export type OptionId = number;

export interface RoundRules {
  method: Method;
  optionIds: readonly OptionId[];
  /** Approval only: fewest options a voter may approve (default 1). */
  minChoices?: number;
  /** Approval only: most options a voter may approve (default: every option). */
  maxChoices?: number;
}

/**
 * Identical canonical ballots counted together. Tabulation works on piles rather than single
 * ballots so its cost follows the number of distinct ballots, not the number of voters.
 *
 * `choices` is the canonical ballot: plurality → one id; approval → approved ids ascending;
 * ranked and condorcet → the ranking, most preferred first (a prefix of a full order).
 */
export interface Pile {
  choices: readonly OptionId[];
  count: number;
}

/** Votes for one option, the row shape shared by every results table. */
export interface OptionVotes {
  option_id: OptionId;
  votes: number;
}
