import { METHODS, type Method } from '@voting/domain';
import { describe, expect, it } from 'vitest';
import { type ExportRecord, readBallotExport } from './reader.ts';
import type { ExportBallot, ExportFormat, ExportRound } from './shapes.ts';
import {
  BALLOT_EXPORT_VERSION,
  csvBallotRow,
  csvHeaderRow,
  csvRoundCells,
  ndjsonBallotLine,
  ndjsonEndLine,
  ndjsonRoundLine,
} from './writer.ts';

const ROUND_ID = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f30e2';
const receipt = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Labels a CSV reader must give back exactly. */
const HOSTILE = [
  'Smith, "Jr."',
  'Doe\nthe second',
  'a\r\nb',
  '=1+1',
  '+x',
  '-2',
  '@me',
  ' sp ',
  'é✓',
];

function roundOf(method: Method): ExportRound {
  return {
    version: BALLOT_EXPORT_VERSION,
    round_id: ROUND_ID,
    name: 'Round, "one"',
    method,
    options: HOSTILE.map((label, index) => ({ option_id: index + 1, label })),
    min_choices: method === 'approval' ? 1 : null,
    max_choices: method === 'approval' ? 4 : null,
    status: 'closed',
    closed_at: '2026-03-01T12:00:00.000Z',
    exported_at: '2026-03-01T12:00:01.000Z',
  };
}

const optionNamed = (option_id: number) => ({ option_id, label: `Option ${option_id}` });

/** Ballots of the method's shape: one id, an ascending set, or a ranking prefix. */
function ballotsOf(method: Method): ExportBallot[] {
  const choices: Record<Method, number[][]> = {
    plurality: [[1], [9], [4], [4]],
    approval: [[1, 2], [3], [2, 5, 8, 9], [1]],
    ranked: [[9, 1, 2], [3], [2, 1, 3, 4, 5, 6, 7, 8, 9], [5, 4]],
    condorcet: [[1, 2, 3], [3, 1], [9], [4, 8, 2]],
  };
  return choices[method].map((list, index) => ({ receipt: receipt(index + 1), choices: list }));
}

function exportOf(format: ExportFormat, round: ExportRound, ballots: ExportBallot[]): string {
  if (format === 'ndjson') {
    return ndjsonRoundLine(round) + ballots.map(ndjsonBallotLine).join('') + ndjsonEndLine(4);
  }
  const cells = csvRoundCells(round);
  return csvHeaderRow(round) + ballots.map((ballot) => csvBallotRow(round, cells, ballot)).join('');
}

async function* chunksOf(text: string, size: number, bytes = false) {
  if (!bytes) {
    for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
    return;
  }
  const encoded = new TextEncoder().encode(text);
  for (let i = 0; i < encoded.length; i += size) yield encoded.slice(i, i + size);
}

async function read(text: string, size = 7, bytes = false): Promise<ExportRecord[]> {
  const out: ExportRecord[] = [];
  for await (const record of readBallotExport(chunksOf(text, size, bytes))) out.push(record);
  return out;
}

describe('round trip', () => {
  for (const method of METHODS) {
    it(`${method}: NDJSON and CSV read back what was written, however the chunks fall`, async () => {
      const round = roundOf(method);
      const ballots = ballotsOf(method);
      const csvRound = { ...round, name: '', status: null, closed_at: null, exported_at: '' };
      for (const [size, bytes] of [
        [1, false],
        [7, false],
        [1, true],
        [3, true],
        [1 << 16, true],
      ]) {
        const ndjson = await read(exportOf('ndjson', round, ballots), Number(size), Boolean(bytes));
        expect(ndjson).toEqual([
          { type: 'round', format: 'ndjson', round },
          ...ballots.map((ballot) => ({ type: 'ballot', ballot })),
          { type: 'end', ballots: 4 },
        ]);
        const csv = await read(exportOf('csv', round, ballots), Number(size), Boolean(bytes));
        expect(csv).toEqual([
          { type: 'round', format: 'csv', round: csvRound },
          ...ballots.map((ballot) => ({ type: 'ballot', ballot })),
        ]);
      }
    });
  }

  it('accepts a byte order mark, LF row ends in CSV, blank lines, and unknown round fields', async () => {
    const round = roundOf('ranked');
    const ballots = ballotsOf('ranked');
    const csv = exportOf('csv', round, ballots);
    // Only row ends become LF; the CRLF inside the quoted label stays.
    const lf = csv.replaceAll(/\r\n(?=0|$)/g, '\n');
    expect((await read(`\uFEFF${lf}\n`)).slice(1)).toEqual(
      ballots.map((ballot) => ({ type: 'ballot', ballot })),
    );
    const line = JSON.stringify({ round: { ...round, future: 'field' } });
    const ndjson = `\uFEFF\n${line}\n\n${ballots.map(ndjsonBallotLine).join('')}${ndjsonEndLine(4)}\n`;
    expect((await read(ndjson))[0]).toEqual({ type: 'round', format: 'ndjson', round });
  });

  it('reads a round line without its informative fields', async () => {
    const { name, status, closed_at, exported_at, ...bare } = roundOf('plurality');
    const records = await read(`${JSON.stringify({ round: bare })}\n${ndjsonEndLine(0)}`);
    expect(records[0]).toMatchObject({
      round: { name: '', status: null, closed_at: null, exported_at: '' },
    });
  });
});

describe('malformed input is refused, saying where and what', () => {
  const round = roundOf('ranked');
  const roundLine = (fields: object) => JSON.stringify({ round: { ...round, ...fields } });
  const ok = `${ndjsonRoundLine(round)}${ndjsonBallotLine({ receipt: receipt(1), choices: [2, 1] })}`;
  const plain: ExportRound = { ...roundOf('plurality'), options: [1, 2].map(optionNamed) };
  const header = csvHeaderRow(plain);
  const row = (cells: string) => `${header}${cells}\r\n`;
  const r1 = receipt(1);

  it.each([
    ['nothing', '', /^the export is empty$/],
    ['white space', ' \n \r\n', /^the export is empty$/],
    [
      'a first line that is not the round',
      `{"receipt":"${r1}","choices":[1]}\n`,
      /^line 1: the first line must be the \{"round": …\} line$/,
    ],
    ['a line that is not JSON', `${ok}{oops}\n`, /^line 3: not valid JSON$/],
    [
      'a cut-off line',
      `${ok}{"receipt":"${r1}","cho`,
      /^line 3: the export ends mid-line \(cut off\?\)$/,
    ],
    ['a line that is not an object', `${ok}[1,2]\n`, /^line 3: the line must be a JSON object$/],
    ['another version', roundLine({ version: 2 }), /^line 1: round\.version must be 1 /],
    [
      'a round id that is not a UUID',
      roundLine({ round_id: 'R1' }),
      /^line 1: round\.round_id must be a lowercase UUID$/,
    ],
    [
      'an unknown method',
      roundLine({ method: 'borda' }),
      /^line 1: round\.method must be one of plurality, approval, ranked, condorcet$/,
    ],
    ['no options', roundLine({ options: [] }), /^line 1: round\.options must be a non-empty list/],
    [
      'an option id of 0',
      roundLine({ options: [{ option_id: 0, label: 'A' }] }),
      /^line 1: round\.options\[0\]\.option_id must be an option id \(a positive integer\)$/,
    ],
    [
      'an option without label',
      roundLine({ options: [{ option_id: 1, label: 'A' }, { option_id: 2 }] }),
      /^line 1: round\.options\[1\] lacks "label"$/,
    ],
    [
      'an option twice',
      roundLine({
        options: [
          { option_id: 1, label: 'A' },
          { option_id: 1, label: 'B' },
        ],
      }),
      /^line 1: round option 1 appears twice$/,
    ],
    [
      'a limit of 0',
      roundLine({ max_choices: 0 }),
      /^line 1: round\.max_choices must be null or a positive integer$/,
    ],
    [
      'a limit missing',
      roundLine({ min_choices: undefined }),
      /^line 1: round lacks "min_choices"$/,
    ],
    [
      'a status of another kind',
      roundLine({ status: 'paused' }),
      /^line 1: round\.status must be "open", "closed" or null$/,
    ],
    [
      'a receipt that is not a UUID',
      `${ok}{"receipt":"R2","choices":[1]}\n`,
      /^line 3: receipt must be a lowercase UUID$/,
    ],
    ['a receipt missing', `${ok}{"choices":[1]}\n`, /^line 3: the record lacks "receipt"$/],
    [
      'choices not a list',
      `${ok}{"receipt":"${r1}","choices":"1 2"}\n`,
      /^line 3: choices must be a list of option ids$/,
    ],
    [
      'a fractional choice',
      `${ok}{"receipt":"${r1}","choices":[1,2.5]}\n`,
      /^line 3: choices\[1\] must be an option id \(a positive integer\)$/,
    ],
    [
      'a negative end count',
      `${ok}{"end":{"ballots":-1}}\n`,
      /^line 3: end\.ballots must be a count \(a non-negative integer\)$/,
    ],
    [
      'a line after the end',
      `${ok}${ndjsonEndLine(1)}${ndjsonBallotLine({ receipt: receipt(2), choices: [1] })}`,
      /^line 4: nothing may follow the "end" line$/,
    ],
    ['CSV header only', header, /^a CSV export without ballots does not name its round/],
    [
      'CSV header without option columns',
      'receipt,choices,round_id,method\r\n',
      /^the CSV header has no "option <id>: <label>" columns$/,
    ],
    [
      'CSV header without a round column',
      'receipt,choices,option 1: A\r\n',
      /^the CSV header has no "round_id" column$/,
    ],
    ['a CSV row of the wrong width', row(`${r1},1`), /^CSV row 2: has 2 cells, the header has 8$/],
    ['text after a closing quote', row(`"${r1}"x,1`), /^CSV line 2: text after a closing quote$/],
    ['a quote inside a cell', row(`${r1}x"y,1`), /^CSV line 2: a quote inside an unquoted cell$/],
    ['a quote never closed', row(`"${r1},1`), /^CSV line 3: a quoted cell is not closed$/],
    [
      'a CSV method unknown',
      row(`${r1},1,${ROUND_ID},borda,,,1,`),
      /^CSV row 2: round\.method must be one of /,
    ],
    [
      'a CSV choice that is not a number',
      row(`${r1},1 x,${ROUND_ID},plurality,,,1,`),
      /^CSV row 2: choices\[1\] must be an option id/,
    ],
    [
      'a CSV grid at odds with choices',
      row(`${r1},2,${ROUND_ID},plurality,,,1,`),
      /^CSV row 2: the cell of option 1 disagrees with choices "2"$/,
    ],
    [
      'CSV round columns that change',
      `${row(`${r1},1,${ROUND_ID},plurality,,,1,`)}${receipt(2)},1,${ROUND_ID},approval,,,1,\r\n`,
      /^CSV row 3: round columns differ from the first row's$/,
    ],
  ])('%s', async (_name, text, message) => {
    await expect(read(text)).rejects.toThrow(message);
    await expect(read(text)).rejects.toMatchObject({ name: 'ExportFormatError' });
  });

  it('refuses bytes that are not UTF-8', async () => {
    async function* bytes() {
      yield new Uint8Array([0x7b, 0x22, 0xff, 0xfe]);
    }
    const reading = (async () => {
      for await (const _ of readBallotExport(bytes())) {
        // drain
      }
    })();
    await expect(reading).rejects.toThrow(/^the export is not UTF-8 text$/);
  });

  it('refuses a CSV whose bytes stop being UTF-8 partway', async () => {
    const csv = exportOf('csv', roundOf('plurality'), ballotsOf('plurality'));
    async function* bytes() {
      yield new TextEncoder().encode(csv);
      yield new Uint8Array([0xff]);
    }
    const reading = (async () => {
      for await (const _ of readBallotExport(bytes())) {
        // drain
      }
    })();
    await expect(reading).rejects.toThrow(/^the export is not UTF-8 text$/);
  });
});
