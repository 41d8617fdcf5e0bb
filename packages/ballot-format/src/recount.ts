/**
 * The recount: reads a ballot export, checks every ballot against the round's rules with the
 * same `parseBallot` the vote service uses, tabulates with the same `tabulate` the worker uses,
 * and compares the outcome with a published result byte for byte (`canonicalResultJson`).
 * Pure apart from reading the chunks it is given; scripts/recount.ts does the files and HTTP.
 */
import {
  canonicalResultJson,
  METHOD_TRAITS,
  type MethodTraits,
  type OptionId,
  parseBallot,
  type RoundRules,
  type TabulationResult,
  tabulate,
} from '@voting/domain';
import { Type } from 'typebox';
import { Value } from 'typebox/value';
import { readBallotExport } from './reader.ts';
import { type ExportFormat, ExportFormatError, type ExportRound, isRecord } from './shapes.ts';

export interface Recount {
  format: ExportFormat;
  round: ExportRound;
  ballots: number;
  result: TabulationResult;
}

/**
 * Recounts an export. Throws ExportFormatError when the input is not a complete, valid export:
 * malformed records, a ballot the round's rules refuse, a receipt out of order or repeated, or
 * (NDJSON) an `end` line missing or disagreeing with the number of ballots.
 *
 * Memory follows the number of distinct ballots (identical ballots share one pile), not the
 * number of ballots; receipts are checked for order against the previous one only.
 */
export async function recountBallotExport(
  chunks: AsyncIterable<Uint8Array | string>,
): Promise<Recount> {
  let round: ExportRound | null = null;
  let format: ExportFormat = 'ndjson';
  let rules: RoundRules | null = null;
  let field: MethodTraits['ballotField'] = 'option_id';
  const piles = new Map<string, { choices: OptionId[]; count: number }>();
  let ballots = 0;
  let previousReceipt = '';
  let end: number | null = null;

  for await (const record of readBallotExport(chunks)) {
    if (record.type === 'round') {
      round = record.round;
      format = record.format;
      rules = rulesOf(round);
      field = METHOD_TRAITS[round.method].ballotField;
    } else if (record.type === 'end') {
      end = record.ballots;
    } else if (rules !== null) {
      const { receipt, choices } = record.ballot;
      if (receipt <= previousReceipt) {
        throw new ExportFormatError(
          `receipt ${receipt} is ${receipt === previousReceipt ? 'repeated' : 'out of order'}: ` +
            'an export lists each ballot once, receipts ascending',
        );
      }
      previousReceipt = receipt;
      // A ballot of a single id (plurality) is one id; anything else cannot be read as one.
      const value = field === 'option_id' ? (choices.length === 1 ? choices[0] : choices) : choices;
      const parsed = parseBallot(rules, { [field]: value });
      if (!parsed.ok) {
        throw new ExportFormatError(`ballot ${receipt} is not valid here: ${parsed.message}`);
      }
      const key = parsed.choices.join(',');
      const pile = piles.get(key);
      if (pile) pile.count++;
      else piles.set(key, { choices: parsed.choices, count: 1 });
      ballots++;
    }
  }
  if (round === null || rules === null) throw new ExportFormatError('the export names no round');
  if (format === 'ndjson') {
    if (end === null) {
      throw new ExportFormatError(
        'the export has no {"end": …} line: it was cut off, or is not a whole export',
      );
    }
    if (end !== ballots) {
      throw new ExportFormatError(
        `the end line counts ${end} ballots, the export holds ${ballots}`,
      );
    }
  }
  return {
    format,
    round,
    ballots,
    result: tabulate(rules, [...piles.values()], round.round_id),
  };
}

function rulesOf(round: ExportRound): RoundRules {
  return {
    method: round.method,
    optionIds: round.options.map((option) => option.option_id),
    minChoices: round.min_choices ?? undefined,
    maxChoices: round.max_choices ?? undefined,
  };
}

/** A result the round's organizers published, in the shape the recount compares. */
export interface PublishedResult {
  /** Where it was found in the document: `tabulation.result`, or `results` (counts). */
  source: string;
  result: unknown;
}

export interface PublishedResults {
  /** Each comparable form of the published result; every one must match. */
  results: PublishedResult[];
  /** Whether the published result says it is final (a closed round, fully counted). */
  final: boolean;
  /** Round settings published with the result that differ from the export's. */
  roundDifferences: string[];
}

/** The per-option counts of `GET /rounds/:id` (plurality and approval rounds). */
const PublishedCounts = Type.Object({
  results: Type.Array(Type.Object({ option_id: Type.Number(), votes: Type.Number() })),
  total_ballots: Type.Number(),
});

/** The stored tabulation in `GET /rounds/:id`, once the worker has counted the round. */
const PublishedTabulation = Type.Object({
  tabulation: Type.Object({ result: Type.Unknown() }),
});

/**
 * Extracts the published result from `GET /rounds/:id` (the full result document), or accepts a
 * bare stored tabulation. Compared forms:
 *
 * - `tabulation.result`: the worker's stored tabulation (ranked and condorcet rounds; every
 *   round once final). This is the result the system stores for good.
 * - for methods that do not rank (plurality, approval), also `results` + `total_ballots`: the
 *   counts people read.
 *
 * Throws ExportFormatError when the document is of another round or holds nothing comparable.
 */
export function publishedResults(document: unknown, round: ExportRound): PublishedResults {
  if (!isRecord(document)) throw new ExportFormatError('the published result is not an object');
  if (!('round_id' in document)) {
    // A bare tabulation, as stored in round_results.
    if (document.method !== round.method) {
      throw new ExportFormatError(
        `the published result is a ${String(document.method)} result, the export is ${round.method}`,
      );
    }
    return { results: [{ source: 'result', result: document }], final: true, roundDifferences: [] };
  }

  if (document.round_id !== round.round_id) {
    throw new ExportFormatError(
      `the published result is of round ${String(document.round_id)}, the export of ${round.round_id}`,
    );
  }
  if (document.method !== round.method) {
    throw new ExportFormatError(
      `the published round uses ${String(document.method)}, the export says ${round.method}`,
    );
  }
  const roundDifferences: string[] = [];
  const compare = (name: string, published: unknown, exported: unknown) => {
    if (canonicalResultJson(published) !== canonicalResultJson(exported)) {
      roundDifferences.push(
        `${name}: published ${canonicalResultJson(published)}, export ${canonicalResultJson(exported)}`,
      );
    }
  };
  compare('options', document.options, round.options);
  compare('min_choices', document.min_choices ?? null, round.min_choices);
  compare('max_choices', document.max_choices ?? null, round.max_choices);

  const results: PublishedResult[] = [];
  const published: unknown = document;
  if (Value.Check(PublishedTabulation, published) && published.tabulation.result !== undefined) {
    results.push({ source: 'tabulation.result', result: published.tabulation.result });
  }
  if (!METHOD_TRAITS[round.method].ranks && Value.Check(PublishedCounts, published)) {
    const votes = new Map(published.results.map((row) => [row.option_id, row.votes]));
    results.push({
      source: 'results',
      result: {
        method: round.method,
        counts: [...votes.keys()]
          .sort((a, b) => a - b)
          .map((option_id) => ({ option_id, votes: votes.get(option_id) })),
        ballots: published.total_ballots,
      },
    });
  }
  if (results.length === 0) {
    throw new ExportFormatError(
      'the published result holds no tabulation yet (has the worker counted this round?)',
    );
  }
  return { results, final: document.final === true, roundDifferences };
}

export interface Comparison {
  match: boolean;
  /** One line per difference found: which published form, and the first place it differs. */
  differences: string[];
}

/** Compares canonically (sorted keys, no whitespace): equal results are equal strings. */
export function compareWithPublished(recount: Recount, published: PublishedResults): Comparison {
  const differences = [...published.roundDifferences];
  const mine = canonicalResultJson(recount.result);
  for (const { source, result } of published.results) {
    if (canonicalResultJson(result) === mine) continue;
    differences.push(`${source}: ${firstDifference(result, recount.result, '$')}`);
  }
  return { match: differences.length === 0, differences };
}

/** The first path at which two JSON values differ, for a message a person can follow. */
function firstDifference(published: unknown, recounted: unknown, path: string): string {
  const show = (value: unknown) => {
    const json = canonicalResultJson(value) ?? 'undefined';
    return json.length > 80 ? `${json.slice(0, 77)}...` : json;
  };
  if (Array.isArray(published) && Array.isArray(recounted)) {
    for (let i = 0; i < Math.max(published.length, recounted.length); i++) {
      if (canonicalResultJson(published[i]) !== canonicalResultJson(recounted[i])) {
        return firstDifference(published[i], recounted[i], `${path}[${i}]`);
      }
    }
  } else if (isRecord(published) && isRecord(recounted)) {
    const keys = [...new Set([...Object.keys(published), ...Object.keys(recounted)])].sort();
    for (const key of keys) {
      if (canonicalResultJson(published[key]) !== canonicalResultJson(recounted[key])) {
        return firstDifference(published[key], recounted[key], `${path}.${key}`);
      }
    }
  }
  return `at ${path} published ${show(published)}, recounted ${show(recounted)}`;
}
