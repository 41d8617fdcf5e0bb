/**
 * Writing the ballot export (docs/methods.md, "Ballot export"), as GET /rounds/:id/ballots sends
 * it. Pure: each function returns the text of one line or row; the route does the streaming.
 *
 * NDJSON (application/x-ndjson), one JSON value per line:
 *
 *   {"round":{"version":1,"round_id":…,"name":…,"method":…,"options":[{"option_id":1,"label":…}],
 *             "min_choices":…,"max_choices":…,"status":"closed","closed_at":…,"exported_at":…}}
 *   {"receipt":"0b9e…","choices":[3,1,2]}          one line per counted ballot, receipts ascending
 *   {"end":{"ballots":10000}}                        last line: a cut-off download is detectable
 *
 * CSV (text/csv, RFC 4180, CRLF), one header row then one row per ballot, receipts ascending:
 *
 *   receipt,choices,round_id,method,min_choices,max_choices,option 1: Memphis,option 2: …
 *   0b9e…,3 1 2,<round id>,ranked,,,2,3,1,
 *
 * `choices` holds the option ids separated by spaces, in ballot order (best first for ranked
 * methods). Each `option <id>: <label>` column repeats the ballot as a grid a spreadsheet can sum:
 * the option's rank (1 = first) on ranked and condorcet ballots, 1 for a chosen option on
 * plurality and approval ballots, empty otherwise. The round columns repeat on every row, so any
 * row (and any tool) sees which round and rules it belongs to.
 *
 * CSV cells are quoted by csv-stringify, by RFC 4180's rule: a cell holding a comma, a quote, CR
 * or LF is quoted, its quotes doubled. Formula injection is kept out by the layout rather than by
 * csv-stringify's `escape_formulas` (which would change the bytes of the format): the only text
 * that comes from people, the option labels, appears in header cells that start with `option `;
 * every other cell is a UUID, a method name, a number or a list of numbers.
 */
import { METHOD_TRAITS, type Method } from '@voting/domain';
import { type Options, stringify } from 'csv-stringify/sync';
import {
  BALLOT_EXPORT_VERSION,
  type ExportBallot,
  type ExportFormat,
  type ExportOption,
  type ExportRound,
  UUID_PATTERN,
} from './shapes.ts';

export { BALLOT_EXPORT_VERSION };

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  ndjson: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8; header=present',
};

// ---------------------------------------------------------------------------------------------
// NDJSON

export function ndjsonRoundLine(round: ExportRound): string {
  return `${JSON.stringify({ round })}\n`;
}

export function ndjsonBallotLine(ballot: ExportBallot): string {
  return `{"receipt":${JSON.stringify(ballot.receipt)},"choices":[${ballot.choices.join(',')}]}\n`;
}

export function ndjsonEndLine(ballots: number): string {
  return `${JSON.stringify({ end: { ballots } })}\n`;
}

// ---------------------------------------------------------------------------------------------
// CSV

export const CSV_RECEIPT_COLUMN = 'receipt';
export const CSV_CHOICES_COLUMN = 'choices';
/** The round columns, in order: the same cells on every row. */
export const CSV_ROUND_COLUMNS = ['round_id', 'method', 'min_choices', 'max_choices'] as const;

/** A header cell per option: `option <id>: <label>`, which the reader takes apart again. */
export function csvOptionColumn(option: ExportOption): string {
  return `option ${option.option_id}: ${option.label}`;
}

/**
 * CRLF row ends, and RFC 4180 quoting: a cell holding a comma, quote, CR or LF. csv-stringify
 * quotes a lone CR or LF only with `quote_record_delimiter` once the row end is not its default.
 */
const CSV_ROW: Options = { record_delimiter: '\r\n', quote_record_delimiter: true };
const CSV_CELLS: Options = { ...CSV_ROW, eof: false };

export function csvHeaderRow(round: ExportRound): string {
  const columns = [
    CSV_RECEIPT_COLUMN,
    CSV_CHOICES_COLUMN,
    ...CSV_ROUND_COLUMNS,
    ...round.options.map(csvOptionColumn),
  ];
  return stringify([columns], CSV_ROW);
}

/** Round columns are the same on every row; compute them once per export. */
export function csvRoundCells(round: ExportRound): string {
  const cells = [round.round_id, round.method, round.min_choices ?? '', round.max_choices ?? ''];
  return stringify([cells.map(String)], CSV_CELLS);
}

export function csvBallotRow(round: ExportRound, roundCells: string, ballot: ExportBallot): string {
  const grid = optionCells(round.method, round.options, ballot.choices);
  return `${receiptCell(ballot.receipt)},${ballot.choices.join(' ')},${roundCells},${grid.join(',')}\r\n`;
}

/**
 * A receipt is a UUID, which never needs quoting: written as it is, so a page of ballot rows
 * costs what string concatenation costs. Anything else goes through csv-stringify.
 */
function receiptCell(receipt: string): string {
  return UUID_PATTERN.test(receipt) ? receipt : stringify([[receipt]], CSV_CELLS);
}

/**
 * The per-option cells of a ballot: the option's rank (1 = first) on a ballot of a method that
 * ranks, 1 for a chosen option otherwise, empty for an option not on the ballot.
 */
export function optionCells(
  method: Method,
  options: readonly ExportOption[],
  choices: readonly number[],
): string[] {
  const ranks = METHOD_TRAITS[method].ranks;
  return options.map((option) => {
    const position = choices.indexOf(option.option_id);
    if (position < 0) return '';
    return ranks ? String(position + 1) : '1';
  });
}
