import {
  METHOD_TRAITS,
  METHODS,
  type Method,
  type TabulationResult,
  tabulate,
} from '@voting/domain';
import { describe, expect, it } from 'vitest';
import { describeResult } from './describe.ts';
import { compareWithPublished, publishedResults, recountBallotExport } from './recount.ts';
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

function roundOf(method: Method): ExportRound {
  return {
    version: BALLOT_EXPORT_VERSION,
    round_id: ROUND_ID,
    name: 'Capital',
    method,
    options: ['Memphis', 'Nashville', 'Chattanooga', 'Knoxville'].map((label, index) => ({
      option_id: index + 1,
      label,
    })),
    min_choices: method === 'approval' ? 1 : null,
    max_choices: method === 'approval' ? 2 : null,
    status: 'closed',
    closed_at: '2026-03-01T12:00:00.000Z',
    exported_at: '2026-03-01T12:00:01.000Z',
  };
}

/** The Tennessee example (docs/methods.md), cut to each method's ballot shape: 100 ballots. */
function ballotsOf(method: Method): ExportBallot[] {
  const groups: [number, number[]][] = [
    [42, [1, 2, 3, 4]],
    [26, [2, 3, 4, 1]],
    [15, [3, 4, 2, 1]],
    [17, [4, 3, 2, 1]],
  ];
  const shape = (ranking: number[]) => {
    if (METHOD_TRAITS[method].ranks) return ranking;
    if (method === 'plurality') return ranking.slice(0, 1);
    return ranking.slice(0, 2).sort((a, b) => a - b);
  };
  const ballots = groups.flatMap(([count, ranking]) => Array(count).fill(shape(ranking)));
  return ballots.map((choices, index) => ({ receipt: receipt(index + 1), choices }));
}

function exportOf(format: ExportFormat, round: ExportRound, ballots: ExportBallot[]): string {
  if (format === 'ndjson') {
    const lines = ballots.map(ndjsonBallotLine).join('');
    return ndjsonRoundLine(round) + lines + ndjsonEndLine(ballots.length);
  }
  const cells = csvRoundCells(round);
  return csvHeaderRow(round) + ballots.map((ballot) => csvBallotRow(round, cells, ballot)).join('');
}

async function* chunksOf(text: string, size = 64) {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

const recount = (text: string) => recountBallotExport(chunksOf(text));

/** What the counting code makes of the ballots, straight from @voting/domain. */
function countOf(round: ExportRound, ballots: ExportBallot[]): TabulationResult {
  const rules = {
    method: round.method,
    optionIds: round.options.map((option) => option.option_id),
    minChoices: round.min_choices ?? undefined,
    maxChoices: round.max_choices ?? undefined,
  };
  const piles = ballots.map((ballot) => ({ choices: ballot.choices, count: 1 }));
  return tabulate(rules, piles, round.round_id);
}

/** GET /rounds/:id as the services publish it, final. */
function publishedDocument(round: ExportRound, result: TabulationResult) {
  const counts = 'counts' in result ? result.counts : [];
  return {
    round_id: round.round_id,
    method: round.method,
    options: round.options,
    min_choices: round.min_choices,
    max_choices: round.max_choices,
    final: true,
    results: counts.map((row) => ({ ...row, label: `#${row.option_id}` })),
    total_ballots: result.ballots,
    tabulation: { as_of: round.closed_at, ballots: result.ballots, result },
  };
}

describe('recount', () => {
  for (const method of METHODS) {
    it(`${method}: from NDJSON and CSV, equals the count and matches the published result`, async () => {
      const round = roundOf(method);
      const ballots = ballotsOf(method);
      const expected = countOf(round, ballots);
      for (const format of ['ndjson', 'csv'] as const) {
        const counted = await recount(exportOf(format, round, ballots));
        expect(counted).toMatchObject({ format, ballots: 100, result: expected });
        const published = publishedResults(publishedDocument(round, expected), counted.round);
        expect(published.results.map((entry) => entry.source)).toEqual(
          METHOD_TRAITS[method].ranks ? ['tabulation.result'] : ['tabulation.result', 'results'],
        );
        expect(compareWithPublished(counted, published)).toEqual({ match: true, differences: [] });
      }
    });
  }

  it('detects one changed ballot, in either format, and says where the results part', async () => {
    const round = roundOf('ranked');
    const ballots = ballotsOf('ranked');
    const document = publishedDocument(round, countOf(round, ballots));
    // One Memphis voter's ballot now puts Knoxville first: IRV's first round differs.
    const tampered = ballots.map((ballot, index) =>
      index === 0 ? { ...ballot, choices: [4, 1, 2, 3] } : ballot,
    );
    for (const format of ['ndjson', 'csv'] as const) {
      const counted = await recount(exportOf(format, round, tampered));
      const comparison = compareWithPublished(counted, publishedResults(document, counted.round));
      expect(comparison.match).toBe(false);
      expect(comparison.differences).toEqual([
        'tabulation.result: at $.irv.rounds[0].tallies[0].votes published 42, recounted 41',
      ]);
    }
  });

  it('reports both published forms of a plurality round, and round settings that differ', async () => {
    const round = roundOf('plurality');
    const ballots = ballotsOf('plurality');
    const document = publishedDocument(round, countOf(round, ballots));
    const counted = await recount(
      exportOf(
        'ndjson',
        round,
        ballots.map((b, i) => (i === 99 ? { ...b, choices: [1] } : b)),
      ),
    );
    const comparison = compareWithPublished(
      counted,
      publishedResults({ ...document, max_choices: 3 }, counted.round),
    );
    expect(comparison.differences).toEqual([
      'max_choices: published 3, export null',
      'tabulation.result: at $.counts[0].votes published 42, recounted 43',
      'results: at $.counts[0].votes published 42, recounted 43',
    ]);
  });

  it.each([
    ['a repeated receipt', (b: ExportBallot[]) => [b[0], b[0], ...b.slice(1)], /repeated/],
    ['receipts out of order', (b: ExportBallot[]) => [b[1], b[0], ...b.slice(2)], /out of order/],
    ['an option twice', (b: ExportBallot[]) => [{ ...b[0], choices: [1, 1] }], /more than once/],
    ['an unknown option', (b: ExportBallot[]) => [{ ...b[0], choices: [9] }], /not an option/],
    ['an empty ranking', (b: ExportBallot[]) => [{ ...b[0], choices: [] }], /not valid here/],
  ])('refuses %s', async (_name, change, message) => {
    const round = roundOf('ranked');
    const ballots = change(ballotsOf('ranked')) as ExportBallot[];
    for (const format of ['ndjson', 'csv'] as const) {
      await expect(recount(exportOf(format, round, ballots))).rejects.toThrow(message);
    }
  });

  it('refuses ballots the round rules refuse: two plurality choices, too many approvals', async () => {
    const plurality = roundOf('plurality');
    const two = [{ receipt: receipt(1), choices: [1, 2] }];
    await expect(recount(exportOf('ndjson', plurality, two))).rejects.toThrow(/not valid here/);
    const approval = roundOf('approval');
    const three = [{ receipt: receipt(1), choices: [1, 2, 3] }];
    await expect(recount(exportOf('csv', approval, three))).rejects.toThrow(/not valid here/);
  });

  it('refuses an NDJSON export without its end line, or whose end line miscounts', async () => {
    const text = exportOf('ndjson', roundOf('condorcet'), ballotsOf('condorcet'));
    const withoutEnd = text.slice(0, text.lastIndexOf('{"end"'));
    await expect(recount(withoutEnd)).rejects.toThrow(/no \{"end": …\} line/);
    await expect(recount(text.replace('"ballots":100', '"ballots":99'))).rejects.toThrow(
      /the end line counts 99 ballots, the export holds 100/,
    );
  });
});

describe('publishedResults', () => {
  const round = roundOf('condorcet');
  const result = countOf(round, ballotsOf('condorcet'));

  it('accepts a bare stored tabulation', () => {
    expect(publishedResults(result, round)).toEqual({
      results: [{ source: 'result', result }],
      final: true,
      roundDifferences: [],
    });
  });

  it('refuses a result of another round or method, or one holding nothing to compare', () => {
    const document = publishedDocument(round, result);
    expect(() => publishedResults([], round)).toThrow(/not an object/);
    expect(() => publishedResults({ ...document, round_id: receipt(9) }, round)).toThrow(
      /is of round/,
    );
    expect(() => publishedResults({ ...document, method: 'ranked' }, round)).toThrow(/uses ranked/);
    expect(() => publishedResults({ ...result, method: 'approval' }, round)).toThrow(
      /is a approval result/,
    );
    expect(() => publishedResults({ ...document, tabulation: null }, round)).toThrow(
      /holds no tabulation yet/,
    );
  });
});

describe('describeResult', () => {
  it.each([
    ['plurality', /most votes: Memphis \(1\)/],
    ['approval', /approval: 100 ballots/],
    ['ranked', /winner: Knoxville \(4\)/],
    ['condorcet', /winner: Nashville \(2\)/],
  ] as const)('%s', (method, line) => {
    const round = roundOf(method);
    expect(describeResult(round, countOf(round, ballotsOf(method)))).toMatch(line);
  });
});
