export {
  BALLOT_FIELD,
  type BallotRefusalReason,
  type ParsedBallot,
  parseBallot,
} from './ballot.ts';
export { canonicalResultJson, resultsEqual } from './canonical-json.ts';
export {
  type IrvResult,
  type IrvRound,
  type IrvTransfer,
  tabulateInstantRunoff,
} from './instant-runoff.ts';
export type { EliminationTieBreak } from './irv-tie-break.ts';
export {
  countOptions,
  type LabelledOption,
  type LabelledResult,
  sortSeedResults,
} from './option-counts.ts';
export { type PreparedPiles, preparePiles } from './piles.ts';
export { type SchulzeResult, tabulateSchulze } from './schulze.ts';
export { fnv1a32, seededOrderKey } from './seeded-order.ts';
export {
  type CondorcetResult,
  type CountResult,
  type RankedResult,
  type TabulationResult,
  tabulate,
} from './tabulate.ts';
export {
  METHODS,
  type Method,
  type OptionId,
  type OptionVotes,
  type Pile,
  type RoundRules,
} from './types.ts';
