import { METHODS, type Method } from '@voting/domain';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { ExportRound } from './shapes.ts';
import {
  BALLOT_EXPORT_VERSION,
  csvBallotRow,
  csvHeaderRow,
  csvRoundCells,
  EXPORT_CONTENT_TYPES,
  ndjsonBallotLine,
  ndjsonEndLine,
  ndjsonRoundLine,
} from './writer.ts';

const ROUND_ID = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f30e2';
const RECEIPTS = ['0a3f0000-0000-4000-8000-000000000001', '0b910000-0000-4000-8000-000000000002'];

function roundOf(method: Method, labels: string[], limits: [number, number] | null = null) {
  return {
    version: BALLOT_EXPORT_VERSION,
    round_id: ROUND_ID,
    name: 'Capital',
    method,
    options: labels.map((label, index) => ({ option_id: index + 1, label })),
    min_choices: limits?.[0] ?? null,
    max_choices: limits?.[1] ?? null,
    status: 'closed',
    closed_at: '2026-03-01T12:00:00.000Z',
    exported_at: '2026-03-01T12:00:01.000Z',
  } satisfies ExportRound;
}

const tennessee = roundOf('ranked', ['Memphis', 'Nashville', 'Chattanooga', 'Knoxville']);

/** A whole CSV export, as the route writes it. */
function csvOf(round: ExportRound, ballots: { receipt: string; choices: number[] }[]) {
  const cells = csvRoundCells(round);
  return csvHeaderRow(round) + ballots.map((ballot) => csvBallotRow(round, cells, ballot)).join('');
}

describe('NDJSON', () => {
  it('writes the lines of docs/methods.md, byte for byte', () => {
    expect(ndjsonRoundLine(tennessee)).toBe(
      `{"round":{"version":1,"round_id":"${ROUND_ID}","name":"Capital","method":"ranked",` +
        '"options":[{"option_id":1,"label":"Memphis"},{"option_id":2,"label":"Nashville"},' +
        '{"option_id":3,"label":"Chattanooga"},{"option_id":4,"label":"Knoxville"}],' +
        '"min_choices":null,"max_choices":null,"status":"closed",' +
        '"closed_at":"2026-03-01T12:00:00.000Z","exported_at":"2026-03-01T12:00:01.000Z"}}\n',
    );
    expect(ndjsonBallotLine({ receipt: RECEIPTS[0] ?? '', choices: [2, 3, 4, 1] })).toBe(
      `{"receipt":"${RECEIPTS[0]}","choices":[2,3,4,1]}\n`,
    );
    expect(ndjsonEndLine(100)).toBe('{"end":{"ballots":100}}\n');
  });

  it('keeps hostile labels intact inside JSON strings', () => {
    const round = roundOf('plurality', ['a"b', 'line\nbreak', '\u2028']);
    expect(
      JSON.parse(ndjsonRoundLine(round)).round.options.map((o: { label: string }) => o.label),
    ).toEqual(['a"b', 'line\nbreak', '\u2028']);
    expect(ndjsonRoundLine(round).split('\n')).toHaveLength(2);
  });
});

describe('CSV', () => {
  it('writes the example of docs/methods.md, byte for byte', () => {
    const csv = csvOf(tennessee, [
      { receipt: RECEIPTS[0] ?? '', choices: [2, 3, 4, 1] },
      { receipt: RECEIPTS[1] ?? '', choices: [4, 3, 2, 1] },
    ]);
    expect(csv).toBe(
      'receipt,choices,round_id,method,min_choices,max_choices,option 1: Memphis,' +
        'option 2: Nashville,option 3: Chattanooga,option 4: Knoxville\r\n' +
        `${RECEIPTS[0]},2 3 4 1,${ROUND_ID},ranked,,,4,1,2,3\r\n` +
        `${RECEIPTS[1]},4 3 2 1,${ROUND_ID},ranked,,,4,3,2,1\r\n`,
    );
  });

  it.each(METHODS)(
    '%s: the grid holds ranks on ranked ballots, 1 for chosen otherwise',
    (method) => {
      const round = roundOf(method, ['A', 'B', 'C'], method === 'approval' ? [1, 3] : null);
      const row = csvBallotRow(round, csvRoundCells(round), {
        receipt: RECEIPTS[0] ?? '',
        choices: method === 'plurality' ? [3] : [3, 1],
      });
      const limits = method === 'approval' ? '1,3' : ',';
      const grid = { plurality: ',,1', approval: '1,,1', ranked: '2,,1', condorcet: '2,,1' }[
        method
      ];
      const choices = method === 'plurality' ? '3' : '3 1';
      expect(row).toBe(`${RECEIPTS[0]},${choices},${ROUND_ID},${method},${limits},${grid}\r\n`);
    },
  );

  it('quotes hostile labels by RFC 4180: commas, quotes, CR, LF', () => {
    const round = roundOf(
      'approval',
      ['Smith, "Jr."', 'Doe\nthe second', 'a\rb', 'c\r\nd', '"'],
      [1, 5],
    );
    expect(csvHeaderRow(round)).toBe(
      'receipt,choices,round_id,method,min_choices,max_choices,' +
        '"option 1: Smith, ""Jr.""","option 2: Doe\nthe second","option 3: a\rb",' +
        '"option 4: c\r\nd","option 5: """\r\n',
    );
  });

  it('leaves no cell that a spreadsheet would read as a formula', () => {
    const hostile = ['=1+1', '+SUM(A1:A9)', '-2+3', '@cmd', '\t=x', '=HYPERLINK("x","y")', ',=a'];
    for (const method of METHODS) {
      const round = roundOf(method, hostile, method === 'approval' ? [1, 7] : null);
      const csv = csvOf(round, [
        { receipt: RECEIPTS[0] ?? '', choices: method === 'plurality' ? [1] : [1, 4, 7] },
      ]);
      const cells: string[] = parse(csv, { record_delimiter: '\r\n' }).flat();
      expect(cells.filter((cell) => /^[=+\-@\t\r]/.test(cell))).toEqual([]);
      // The labels are all there, behind their `option <id>: ` prefix.
      expect(cells.filter((cell) => cell.startsWith('option '))).toEqual(
        hostile.map((label, index) => `option ${index + 1}: ${label}`),
      );
    }
  });

  it('writes the round cells once, quoted when they need it', () => {
    const round = roundOf('approval', ['A'], [1, 2]);
    expect(csvRoundCells(round)).toBe(`${ROUND_ID},approval,1,2`);
    expect(csvRoundCells({ ...round, round_id: 'not, a "uuid"' })).toBe(
      '"not, a ""uuid""",approval,1,2',
    );
  });

  it('writes a receipt as it is, and quotes one that is not a UUID rather than break the row', () => {
    const round = roundOf('plurality', ['A']);
    const cells = csvRoundCells(round);
    expect(csvBallotRow(round, cells, { receipt: 'a,"b"', choices: [1] })).toBe(
      `"a,""b""",1,${cells},1\r\n`,
    );
  });
});

it('names its content types and version', () => {
  expect(EXPORT_CONTENT_TYPES).toEqual({
    ndjson: 'application/x-ndjson; charset=utf-8',
    csv: 'text/csv; charset=utf-8; header=present',
  });
  expect(BALLOT_EXPORT_VERSION).toBe(1);
});
