import { METHOD_TRAITS, type MethodTraits } from './methods.ts';
import type { Method, OptionId, RoundRules } from './types.ts';

export type BallotRefusalReason = 'unknown_option' | 'invalid';

export type ParsedBallot =
  | { ok: true; choices: OptionId[] }
  | { ok: false; reason: BallotRefusalReason; message: string };

type BallotField = MethodTraits['ballotField'];
const ALL_BALLOT_FIELDS: readonly BallotField[] = ['option_id', 'option_ids', 'ranking'];

/**
 * Turns an already-JSON-parsed request body into a canonical ballot, or says exactly what is
 * wrong with it in words a voter (or the developer of a client) can act on.
 *
 * Keys other than the three ballot fields (such as `round_id`) are ignored. A body carrying the
 * field of another method is refused even next to the right one: a client that sends both has
 * misunderstood the round, and guessing which field it meant could count a vote it did not cast.
 *
 * `reason` is `'unknown_option'` only for a plurality ballot whose `option_id` is a well-formed
 * integer that is not an option of the round: that is the one refusal the original service
 * answered with 404 `option_not_found`, and keeping it distinct lets the HTTP layer map reasons
 * to statuses without looking at the method. Every other refusal, including an unknown option
 * inside an approval set or a ranking, is `'invalid'` (400 `invalid_ballot`).
 */
export function parseBallot(rules: RoundRules, body: Record<string, unknown>): ParsedBallot {
  const field = METHOD_TRAITS[rules.method].ballotField;
  const shapeProblem = checkShape(rules.method, field, body);
  if (shapeProblem !== null) return invalid(shapeProblem);

  const known = new Set(rules.optionIds);
  const value = body[field];
  // The field says what a ballot is: one option, a set of options, or an order of them.
  switch (field) {
    case 'option_id':
      return parsePlurality(known, value);
    case 'option_ids':
      return parseApproval(rules, known, value);
    case 'ranking':
      return parseRanking(known, value);
  }
}

function checkShape(
  method: Method,
  field: BallotField,
  body: Record<string, unknown>,
): string | null {
  const present = ALL_BALLOT_FIELDS.filter((name) => body[name] !== undefined);
  const sendThis = `this round uses ${method} voting: send ${field}`;
  if (!present.includes(field)) return sendThis;
  if (present.length > 1) {
    const others = present.filter((name) => name !== field).join(' and ');
    return `${sendThis} only, not ${others}`;
  }
  return null;
}

function parsePlurality(known: ReadonlySet<OptionId>, value: unknown): ParsedBallot {
  if (!isIntegerId(value)) return invalid('option_id must be an integer option id');
  if (!known.has(value)) {
    return { ok: false, reason: 'unknown_option', message: notAnOption(value) };
  }
  return { ok: true, choices: [value] };
}

function parseApproval(
  rules: RoundRules,
  known: ReadonlySet<OptionId>,
  value: unknown,
): ParsedBallot {
  const ids = readIdList('option_ids', known, value);
  if (typeof ids === 'string') return invalid(ids);

  const min = rules.minChoices ?? 1;
  const max = rules.maxChoices ?? rules.optionIds.length;
  if (ids.length < min) return invalid(`choose at least ${optionCount(min)}`);
  if (ids.length > max) return invalid(`choose at most ${optionCount(max)}`);
  // An approval ballot is a set; sorting makes equal sets equal ballots, so they share a pile.
  return { ok: true, choices: [...ids].sort((a, b) => a - b) };
}

function parseRanking(known: ReadonlySet<OptionId>, value: unknown): ParsedBallot {
  if (Array.isArray(value) && value.length === 0) {
    return invalid('ranking must list at least one option');
  }
  const ids = readIdList('ranking', known, value);
  if (typeof ids === 'string') return invalid(ids);
  return { ok: true, choices: ids };
}

/** Reads a list of distinct known option ids, or returns the message describing the problem. */
function readIdList(
  field: string,
  known: ReadonlySet<OptionId>,
  value: unknown,
): OptionId[] | string {
  if (!Array.isArray(value)) return `${field} must be an array of option ids`;
  const seen = new Set<OptionId>();
  for (const [index, item] of value.entries()) {
    if (!isIntegerId(item)) return `${field}[${index}] must be an integer option id`;
    if (!known.has(item)) return notAnOption(item);
    if (seen.has(item)) return `option ${item} appears more than once in ${field}`;
    seen.add(item);
  }
  return [...seen];
}

function isIntegerId(value: unknown): value is OptionId {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

function notAnOption(id: OptionId): string {
  return `option ${id} is not an option of this round`;
}

function optionCount(n: number): string {
  return n === 1 ? '1 option' : `${n} options`;
}

function invalid(message: string): ParsedBallot {
  return { ok: false, reason: 'invalid', message };
}
