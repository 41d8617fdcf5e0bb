/**
 * The ballot export format (docs/methods.md, "Ballot export"), written by GET /rounds/:id/ballots
 * and read by `npm run recount`. Pure code, no I/O: both sides of the format live here so that
 * what is written is exactly what is read back.
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
 */
import { METHODS, type Method } from '@voting/domain';

export const BALLOT_EXPORT_VERSION = 1;

export interface ExportOption {
  option_id: number;
  label: string;
}

/** What a recount needs to know about the round, and when the export was taken. */
export interface ExportRound {
  version: typeof BALLOT_EXPORT_VERSION;
  round_id: string;
  name: string;
  method: Method;
  options: ExportOption[];
  min_choices: number | null;
  max_choices: number | null;
  /** Null when read from a CSV export, which does not carry it. */
  status: 'open' | 'closed' | null;
  closed_at: string | null;
  /** The instant the ballots were read at (one snapshot for the whole export). */
  exported_at: string;
}

export interface ExportBallot {
  receipt: string;
  choices: number[];
}

export type ExportFormat = 'ndjson' | 'csv';

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  ndjson: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8; header=present',
};

// ---------------------------------------------------------------------------------------------
// Writing

export function ndjsonRoundLine(round: ExportRound): string {
  return `${JSON.stringify({ round })}\n`;
}

export function ndjsonBallotLine(ballot: ExportBallot): string {
  return `{"receipt":${JSON.stringify(ballot.receipt)},"choices":[${ballot.choices.join(',')}]}\n`;
}

export function ndjsonEndLine(ballots: number): string {
  return `${JSON.stringify({ end: { ballots } })}\n`;
}

const CSV_FIXED_COLUMNS = [
  'receipt',
  'choices',
  'round_id',
  'method',
  'min_choices',
  'max_choices',
] as const;

const optionColumnPattern = /^option (\d+): ([\s\S]+)$/;

export function csvHeaderRow(round: ExportRound): string {
  const optionColumns = round.options.map(
    (option) => `option ${option.option_id}: ${option.label}`,
  );
  return csvRow([...CSV_FIXED_COLUMNS, ...optionColumns]);
}

/** Round columns are the same on every row; compute them once per export. */
export function csvRoundCells(round: ExportRound): string {
  return [round.round_id, round.method, round.min_choices ?? '', round.max_choices ?? '']
    .map((cell) => csvCell(String(cell)))
    .join(',');
}

export function csvBallotRow(round: ExportRound, roundCells: string, ballot: ExportBallot): string {
  const grid = optionCells(round.method, round.options, ballot.choices);
  return `${csvCell(ballot.receipt)},${ballot.choices.join(' ')},${roundCells},${grid.join(',')}\r\n`;
}

/** The per-option cells of a ballot: rank for ranked methods, 1 for chosen otherwise. */
function optionCells(method: Method, options: readonly ExportOption[], choices: readonly number[]) {
  const ranked = method === 'ranked' || method === 'condorcet';
  return options.map((option) => {
    const position = choices.indexOf(option.option_id);
    if (position < 0) return '';
    return ranked ? String(position + 1) : '1';
  });
}

function csvRow(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** RFC 4180: quote a cell holding a comma, quote, CR or LF; double the quotes inside. */
function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

// ---------------------------------------------------------------------------------------------
// Reading

/** The input is not a well-formed ballot export; the message says where and why. */
export class ExportFormatError extends Error {
  override name = 'ExportFormatError';
}

export type ExportRecord =
  | { type: 'round'; format: ExportFormat; round: ExportRound }
  | { type: 'ballot'; ballot: ExportBallot }
  | { type: 'end'; ballots: number };

/**
 * Reads an export (either format, told apart by its first character) from a stream of chunks,
 * one record at a time: memory stays bounded by the longest line, whatever the ballot count.
 * Yields the round first, then each ballot, then (NDJSON only) the end record. Checks the shape
 * of every record; whether the ballots are valid for the round is the recount's business.
 */
export async function* readBallotExport(
  chunks: AsyncIterable<Uint8Array | string>,
): AsyncGenerator<ExportRecord> {
  const texts = decodeUtf8(chunks)[Symbol.asyncIterator]();
  // The first character that is not white space (nor a byte order mark) tells the format.
  let head = '';
  while (head.trim() === '') {
    const next = await texts.next();
    if (next.done) throw new ExportFormatError('the export is empty');
    head += next.value;
  }
  head = head.replace(/^\uFEFF/, '');
  const rest: AsyncIterable<string> = { [Symbol.asyncIterator]: () => texts };
  const text = (async function* () {
    yield head;
    yield* rest;
  })();
  if (head.trimStart().startsWith('{')) yield* readNdjson(text);
  else yield* readCsv(text);
}

async function* decodeUtf8(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of chunks) {
      const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
      if (text !== '') yield text;
    }
    const tail = decoder.decode();
    if (tail !== '') yield tail;
  } catch (error) {
    if (error instanceof TypeError) throw new ExportFormatError('the export is not UTF-8 text');
    throw error;
  }
}

/** Lines, and whether each ended with a line feed (the last one of a cut-off file does not). */
async function* lines(text: AsyncIterable<string>): AsyncGenerator<[string, boolean]> {
  let pending = '';
  for await (const chunk of text) {
    pending += chunk;
    let newline = pending.indexOf('\n');
    let start = 0;
    while (newline >= 0) {
      yield [pending.slice(start, newline), true];
      start = newline + 1;
      newline = pending.indexOf('\n', start);
    }
    pending = pending.slice(start);
  }
  if (pending !== '') yield [pending, false];
}

async function* readNdjson(text: AsyncIterable<string>): AsyncGenerator<ExportRecord> {
  let lineNumber = 0;
  let round: ExportRound | null = null;
  let ended = false;
  for await (const [raw, terminated] of lines(text)) {
    lineNumber++;
    const line = raw.trim();
    if (line === '') continue;
    const where = `line ${lineNumber}`;
    if (ended) throw new ExportFormatError(`${where}: nothing may follow the "end" line`);
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new ExportFormatError(
        terminated ? `${where}: not valid JSON` : `${where}: the export ends mid-line (cut off?)`,
      );
    }
    if (!isRecord(value)) throw new ExportFormatError(`${where}: expected a JSON object`);
    if (round === null) {
      if (!('round' in value)) {
        throw new ExportFormatError(`${where}: the first line must be the {"round": …} line`);
      }
      round = checkRound(value.round, where);
      yield { type: 'round', format: 'ndjson', round };
    } else if ('end' in value) {
      const end = value.end;
      if (!isRecord(end) || !isCount(end.ballots)) {
        throw new ExportFormatError(`${where}: expected {"end":{"ballots":<count>}}`);
      }
      ended = true;
      yield { type: 'end', ballots: end.ballots };
    } else {
      yield { type: 'ballot', ballot: checkBallot(value.receipt, value.choices, where) };
    }
  }
  if (round === null) throw new ExportFormatError('the export has no {"round": …} line');
}

async function* readCsv(text: AsyncIterable<string>): AsyncGenerator<ExportRecord> {
  let columns: CsvColumns | null = null;
  let round: ExportRound | null = null;
  let roundCells: string[] = [];
  let rowNumber = 0;
  for await (const record of csvRecords(text)) {
    rowNumber++;
    if (record.length === 1 && record[0] === '') continue; // a blank line
    const where = `CSV row ${rowNumber}`;
    if (columns === null) {
      columns = csvColumns(record);
      continue;
    }
    if (record.length !== columns.count) {
      throw new ExportFormatError(
        `${where}: has ${record.length} cells, the header has ${columns.count}`,
      );
    }
    const cell = (index: number) => record[index] ?? '';
    const theseRoundCells = columns.round.map(cell);
    if (round === null) {
      round = csvRound(columns, theseRoundCells, where);
      roundCells = theseRoundCells;
      yield { type: 'round', format: 'csv', round };
    } else if (theseRoundCells.some((value, index) => value !== roundCells[index])) {
      throw new ExportFormatError(`${where}: round columns differ from the first row's`);
    }
    const choicesCell = cell(columns.choices).trim();
    const choices = choicesCell === '' ? [] : choicesCell.split(/ +/).map(Number);
    const ballot = checkBallot(cell(columns.receipt), choices, where);
    const expected = optionCells(round.method, round.options, ballot.choices);
    columns.options.forEach((index, position) => {
      if (cell(index) !== expected[position]) {
        throw new ExportFormatError(
          `${where}: the cell of option ${round?.options[position]?.option_id} disagrees with choices "${choicesCell}"`,
        );
      }
    });
    yield { type: 'ballot', ballot };
  }
  if (columns === null) throw new ExportFormatError('the CSV export has no header row');
  if (round === null) {
    throw new ExportFormatError(
      'a CSV export without ballots does not name its round; recount the NDJSON export instead',
    );
  }
}

interface CsvColumns {
  count: number;
  receipt: number;
  choices: number;
  /** Indexes of round_id, method, min_choices, max_choices. */
  round: number[];
  /** Indexes of the option columns, in header order. */
  options: number[];
  optionList: ExportOption[];
}

function csvColumns(header: string[]): CsvColumns {
  const indexOf = (name: string) => {
    const index = header.indexOf(name);
    if (index < 0) throw new ExportFormatError(`the CSV header has no "${name}" column`);
    return index;
  };
  const options: number[] = [];
  const optionList: ExportOption[] = [];
  header.forEach((name, index) => {
    const match = optionColumnPattern.exec(name);
    if (match) {
      options.push(index);
      optionList.push({ option_id: Number(match[1]), label: match[2] ?? '' });
    }
  });
  if (optionList.length === 0) {
    throw new ExportFormatError('the CSV header has no "option <id>: <label>" columns');
  }
  return {
    count: header.length,
    receipt: indexOf('receipt'),
    choices: indexOf('choices'),
    round: ['round_id', 'method', 'min_choices', 'max_choices'].map(indexOf),
    options,
    optionList,
  };
}

function csvRound(columns: CsvColumns, cells: string[], where: string): ExportRound {
  const [roundId = '', method = '', min = '', max = ''] = cells;
  const optional = (value: string) => (value === '' ? null : Number(value));
  return checkRound(
    {
      version: BALLOT_EXPORT_VERSION,
      round_id: roundId,
      // The CSV carries what a recount needs; the rest of the round is not in it.
      name: '',
      method,
      options: columns.optionList,
      min_choices: optional(min),
      max_choices: optional(max),
      status: null,
      closed_at: null,
      exported_at: '',
    },
    where,
  );
}

/**
 * RFC 4180 records from a stream of text: quoted cells may hold commas, quotes ("" inside quotes)
 * and line breaks, and a quote may fall on a chunk boundary.
 */
async function* csvRecords(text: AsyncIterable<string>): AsyncGenerator<string[]> {
  let record: string[] = [];
  let cell = '';
  let quoted = false; // the current cell started with a quote
  let inQuotes = false; // inside the quotes of the current cell
  let quoteSeen = false; // inside quotes, just read a quote: an escaped quote or the closing one
  let afterClose = false; // the closing quote was read; only a separator may follow
  let line = 1;
  const bad = (why: string) => new ExportFormatError(`CSV line ${line}: ${why}`);

  for await (const chunk of text) {
    const ready: string[][] = [];
    for (const char of chunk) {
      if (inQuotes) {
        if (quoteSeen) {
          quoteSeen = false;
          if (char === '"') {
            cell += '"';
            continue;
          }
          inQuotes = false;
          afterClose = true;
          // falls through: this character follows the closing quote
        } else if (char === '"') {
          quoteSeen = true;
          continue;
        } else {
          if (char === '\n') line++;
          cell += char;
          continue;
        }
      }
      if (char === ',') {
        record.push(cell);
        cell = '';
        quoted = afterClose = false;
      } else if (char === '\n') {
        record.push(cell);
        ready.push(record);
        record = [];
        cell = '';
        quoted = afterClose = false;
        line++;
      } else if (char === '\r') {
        // CRLF ends a row like LF does.
      } else if (afterClose) {
        throw bad('text after a closing quote');
      } else if (char === '"') {
        if (cell !== '' || quoted) throw bad('a quote inside an unquoted cell');
        quoted = inQuotes = true;
      } else {
        cell += char;
      }
    }
    yield* ready;
  }
  if (inQuotes && !quoteSeen) throw bad('a quoted cell is not closed');
  if (cell !== '' || record.length > 0 || quoted) {
    record.push(cell);
    yield record;
  }
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function checkRound(value: unknown, where: string): ExportRound {
  const fail = (why: string) => new ExportFormatError(`${where}: round ${why}`);
  if (!isRecord(value)) throw fail('must be an object');
  if (value.version !== BALLOT_EXPORT_VERSION) {
    throw fail(`version must be ${BALLOT_EXPORT_VERSION} (this recount reads no other)`);
  }
  if (typeof value.round_id !== 'string' || !uuidPattern.test(value.round_id)) {
    throw fail('round_id must be a lowercase UUID');
  }
  if (typeof value.method !== 'string' || !(METHODS as readonly string[]).includes(value.method)) {
    throw fail(`method must be one of ${METHODS.join(', ')}`);
  }
  if (!Array.isArray(value.options) || value.options.length === 0) {
    throw fail('options must be a non-empty array');
  }
  const ids = new Set<number>();
  const options = value.options.map((option: unknown): ExportOption => {
    if (!isRecord(option) || !isPositiveInteger(option.option_id)) {
      throw fail('options must be {option_id, label} with positive integer ids');
    }
    if (typeof option.label !== 'string') throw fail('every option needs a label');
    if (ids.has(option.option_id)) throw fail(`option ${option.option_id} appears twice`);
    ids.add(option.option_id);
    return { option_id: option.option_id, label: option.label };
  });
  for (const key of ['min_choices', 'max_choices'] as const) {
    const limit = value[key];
    if (limit !== null && !isPositiveInteger(limit)) {
      throw fail(`${key} must be null or a positive integer`);
    }
  }
  return {
    version: BALLOT_EXPORT_VERSION,
    round_id: value.round_id,
    name: typeof value.name === 'string' ? value.name : '',
    method: value.method as Method,
    options,
    min_choices: value.min_choices as number | null,
    max_choices: value.max_choices as number | null,
    status: value.status === 'open' || value.status === 'closed' ? value.status : null,
    closed_at: typeof value.closed_at === 'string' ? value.closed_at : null,
    exported_at: typeof value.exported_at === 'string' ? value.exported_at : '',
  };
}

function checkBallot(receipt: unknown, choices: unknown, where: string): ExportBallot {
  if (typeof receipt !== 'string' || !uuidPattern.test(receipt)) {
    throw new ExportFormatError(`${where}: receipt must be a lowercase UUID`);
  }
  if (!Array.isArray(choices) || !choices.every(isPositiveInteger)) {
    throw new ExportFormatError(`${where}: choices must be a list of option ids`);
  }
  return { receipt, choices };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
