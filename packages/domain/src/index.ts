export {
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
  isJoinCode,
  JOIN_CODE_ALPHABET,
  JOIN_CODE_LENGTH,
  joinCodeHalves,
  normalizeJoinCode,
} from './join-code.ts';
export { countedChoices, isMethod, METHOD_TRAITS, type MethodTraits } from './methods.ts';
export {
  countOptions,
  type LabelledOption,
  listByVotes,
  type OptionResult,
} from './option-counts.ts';
export { type PreparedPiles, preparePiles } from './piles.ts';
export {
  closedAsOf,
  hasStartedAt,
  isClosedAt,
  isOpenAt,
  mayReadBallots,
  mayReadResults,
  type ResultsVisibility,
  type RoundClosure,
  type RoundDisclosure,
  type RoundSchedule,
  type Viewer,
} from './round-status.ts';
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
  type CheckedLabels,
  type CheckedText,
  characterCount,
  checkLabels,
  checkText,
  isBlank,
  labelKey,
  MAX_TEXT_LENGTH,
  type TextRefusal,
} from './text.ts';
export {
  METHODS,
  type Method,
  type OptionId,
  type OptionVotes,
  type Pile,
  type RoundRules,
  VOTERS,
  type Voters,
} from './types.ts';
