/**
 * Reading the ballot export (either format; see writer.ts and docs/methods.md) from a stream of
 * chunks, one record at a time: memory stays bounded by the longest line or row, whatever the
 * ballot count. Every record's shape is checked (shapes.ts); whether the ballots are valid for
 * the round is the recount's business. CSV is parsed by csv-parse, fed through a stream so that
 * it reads as the records are taken.
 */
import { pipeline, Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { Value } from 'typebox/value';
import {
  BALLOT_EXPORT_VERSION,
  type ExportBallot,
  ExportBallotSchema,
  ExportEndSchema,
  type ExportFormat,
  ExportFormatError,
  type ExportOption,
  type ExportRound,
  ExportRoundSchema,
  isRecord,
  JsonObjectSchema,
  shapeCheck,
} from './shapes.ts';
import {
  CSV_CHOICES_COLUMN,
  CSV_RECEIPT_COLUMN,
  CSV_ROUND_COLUMNS,
  optionCells,
} from './writer.ts';

export type ExportRecord =
  | { type: 'round'; format: ExportFormat; round: ExportRound }
  | { type: 'ballot'; ballot: ExportBallot }
  | { type: 'end'; ballots: number };

const checkLine = shapeCheck(JsonObjectSchema, 'the line');
const checkRound = shapeCheck(ExportRoundSchema, 'round');
const checkBallot = shapeCheck(ExportBallotSchema);
const checkEnd = shapeCheck(ExportEndSchema);

/**
 * Reads an export (either format, told apart by its first character) from a stream of chunks.
 * Yields the round first, then each ballot, then (NDJSON only) the end record. Throws an
 * ExportFormatError naming the line or row when the input is not a well-formed export.
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

/** The round as read, with fields this version does not know dropped. */
function roundOf(value: unknown, where: string): ExportRound {
  // name, status, closed_at and exported_at inform; an export without them still recounts.
  const defaults = { name: '', status: null, closed_at: null, exported_at: '' };
  const round = checkRound(isRecord(value) ? { ...defaults, ...value } : value, where);
  const ids = new Set<number>();
  for (const { option_id } of round.options) {
    if (ids.has(option_id)) {
      throw new ExportFormatError(`${where}: round option ${option_id} appears twice`);
    }
    ids.add(option_id);
  }
  return Value.Clean(ExportRoundSchema, round) as ExportRound;
}

// ---------------------------------------------------------------------------------------------
// NDJSON

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
  let named = false;
  let ended = false;
  for await (const [raw, terminated] of lines(text)) {
    lineNumber++;
    const line = raw.trim();
    if (line === '') continue;
    const where = `line ${lineNumber}`;
    if (ended) throw new ExportFormatError(`${where}: nothing may follow the "end" line`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new ExportFormatError(
        terminated ? `${where}: not valid JSON` : `${where}: the export ends mid-line (cut off?)`,
      );
    }
    const value = checkLine(parsed, where);
    if (!named) {
      if (!('round' in value)) {
        throw new ExportFormatError(`${where}: the first line must be the {"round": …} line`);
      }
      named = true;
      yield { type: 'round', format: 'ndjson', round: roundOf(value.round, where) };
    } else if ('end' in value) {
      ended = true;
      yield { type: 'end', ballots: checkEnd(value, where).end.ballots };
    } else {
      const { receipt, choices } = checkBallot(value, where);
      yield { type: 'ballot', ballot: { receipt, choices } };
    }
  }
  if (!named) throw new ExportFormatError('the export has no {"round": …} line');
}

// ---------------------------------------------------------------------------------------------
// CSV

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
    const ballot = checkBallot({ receipt: cell(columns.receipt), choices }, where);
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

/** The header cell of an option, as csvOptionColumn writes it. */
const optionColumnPattern = /^option (\d+): ([\s\S]+)$/;

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
    receipt: indexOf(CSV_RECEIPT_COLUMN),
    choices: indexOf(CSV_CHOICES_COLUMN),
    round: CSV_ROUND_COLUMNS.map(indexOf),
    options,
    optionList,
  };
}

function csvRound(columns: CsvColumns, cells: string[], where: string): ExportRound {
  const [roundId = '', method = '', min = '', max = ''] = cells;
  const optional = (value: string) => (value === '' ? null : Number(value));
  return roundOf(
    {
      version: BALLOT_EXPORT_VERSION,
      round_id: roundId,
      method,
      options: columns.optionList,
      min_choices: optional(min),
      max_choices: optional(max),
      // The CSV carries what a recount needs; the rest of the round is not in it.
    },
    where,
  );
}

/** What csv-parse's complaints mean in an export, by its error code. */
const csvProblems: Partial<Record<string, string>> = {
  CSV_INVALID_CLOSING_QUOTE: 'text after a closing quote',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'text after a closing quote',
  INVALID_OPENING_QUOTE: 'a quote inside an unquoted cell',
  CSV_QUOTE_NOT_CLOSED: 'a quoted cell is not closed',
};

/**
 * RFC 4180 records from a stream of text, by csv-parse: quoted cells may hold commas, quotes
 * ("" inside quotes) and line breaks, and a quote may fall on a chunk boundary. Rows end with
 * CRLF as written, or LF (a tool that rewrote the line ends). The parser is a stream: it takes
 * the next chunk only as records are read, so memory holds a few records, not the export.
 */
async function* csvRecords(text: AsyncIterable<string>): AsyncGenerator<string[]> {
  const parser = parse({
    record_delimiter: ['\r\n', '\n'],
    // The reader compares each row with the header itself, to say which row and how.
    relax_column_count: true,
  });
  // An error of the source (not UTF-8) ends the parser with that error, read below.
  pipeline(Readable.from(text), parser, () => {});
  try {
    for await (const record of parser) yield record as string[];
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = typeof error.lines === 'number' ? `CSV line ${error.lines}` : 'CSV';
    throw new ExportFormatError(`${line}: ${csvProblems[error.code] ?? error.message}`);
  }
}
