import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ReceiptWindows } from '@voting/api';
import {
  compareWithPublished,
  type ExportRecord,
  publishedResults,
  readBallotExport,
  recountBallotExport,
} from '@voting/ballot-format';
import type { HttpApp } from '@voting/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerApp } from '../../../services/worker/src/app.ts';
import {
  getJson,
  postJson,
  testResultApp,
  testVoteApp,
  testWorkerApp,
} from '../../../test/support/apps.ts';
import {
  type CreatedRound,
  closeRoundAsAdmin,
  createRound,
  fullResult,
} from '../../../test/support/ballots.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import {
  openApiProblems,
  type RecordedResponse,
  recordResponses,
} from '../../../test/support/openapi.ts';

const root = path.resolve(import.meta.dirname, '../../..');

let db: TestDatabase;
let vote: HttpApp;
let result: HttpApp;
let worker: WorkerApp;
let voteResponses: RecordedResponse[];
let resultResponses: RecordedResponse[];

beforeAll(async () => {
  db = await createTestDatabase();
  vote = await testVoteApp(db.url, db.pool);
  result = await testResultApp(db.url, db.pool);
  worker = await testWorkerApp(db.url, db.pool);
  voteResponses = recordResponses(vote);
  resultResponses = recordResponses(result);
});
afterAll(async () => {
  // Every answer of these tests, errors included, is the one the OpenAPI documents describe.
  expect(await openApiProblems(vote, voteResponses)).toEqual([]);
  expect(await openApiProblems(result, resultResponses)).toEqual([]);
  await vote.close();
  await result.close();
  await worker.app.close();
  await db.drop();
});

const newRound = (settings: object) => createRound(vote, settings);

async function cast(roundId: string, ballot: object, voterId?: string) {
  const answer = await postJson(
    vote,
    '/vote',
    { round_id: roundId, ...ballot },
    voterId ? { 'x-voter-id': voterId } : {},
  );
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.receipt as string;
}

/** Closes the round and lets the worker drain and store the final result. */
async function closeAndFinalize(round: CreatedRound) {
  await closeRoundAsAdmin(vote, round);
  await worker.loop.runOnce();
  const full = await fullResult(result, round.round_id);
  expect(full.final).toBe(true);
  return full;
}

function exportOf(app: HttpApp, roundId: string, query = '', headers: Record<string, string> = {}) {
  return app.inject({ method: 'GET', url: `/rounds/${roundId}/ballots${query}`, headers });
}

async function* chunksOf(text: string, size = 7): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function records(text: string): Promise<ExportRecord[]> {
  const out: ExportRecord[] = [];
  for await (const record of readBallotExport(chunksOf(text))) out.push(record);
  return out;
}

/** Runs `npm run recount`'s script; resolves with its exit status and output. */
function runRecount(
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'scripts/recount.ts', ...args],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data) => {
      stdout += data;
    });
    child.stderr.on('data', (data) => {
      stderr += data;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('GET /rounds/:id/receipts/:receipt', () => {
  it('shows the counted ballot to whoever holds the receipt, on both services, even while hidden', async () => {
    const round = await newRound({
      method: 'ranked',
      options: ['Ann', 'Bob', 'Cy'],
      results: 'after_close',
    });
    const receipt = await cast(round.round_id, { ranking: [3, 1] });
    for (const app of [vote, result]) {
      const found = await getJson(app, `/rounds/${round.round_id}/receipts/${receipt}`);
      expect(found.status).toBe(200);
      expect(found.body).toEqual({
        round_id: round.round_id,
        receipt,
        method: 'ranked',
        choices: [3, 1],
        labels: ['Cy', 'Ann'],
        cast_at: expect.any(String),
      });
      expect(Date.now() - Date.parse(found.body.cast_at)).toBeLessThan(60_000);
    }
    const upper = await getJson(
      result,
      `/rounds/${round.round_id}/receipts/${receipt.toUpperCase()}`,
    );
    expect(upper.body.receipt).toBe(receipt);
  });

  it('answers 404 receipt_not_found for an unknown or replaced receipt, 404 round_not_found, 400 for a malformed one', async () => {
    const round = await newRound({ options: ['A', 'B'], allow_revote: true });
    const first = await cast(round.round_id, { option_id: 1 }, 'voter-1');
    const second = await cast(round.round_id, { option_id: 2 }, 'voter-1');
    const base = `/rounds/${round.round_id}/receipts`;
    expect(await getJson(result, `${base}/${first}`)).toMatchObject({
      status: 404,
      body: { error: 'receipt_not_found' },
    });
    expect((await getJson(result, `${base}/${second}`)).body.choices).toEqual([2]);
    expect(await getJson(result, `${base}/${crypto.randomUUID()}`)).toMatchObject({
      status: 404,
      body: { error: 'receipt_not_found' },
    });
    expect(
      await getJson(result, `/rounds/${crypto.randomUUID()}/receipts/${second}`),
    ).toMatchObject({ status: 404, body: { error: 'round_not_found' } });
    expect(await getJson(vote, `${base}/not-a-receipt`)).toMatchObject({
      status: 400,
      body: { error: 'invalid_request' },
    });
    // Another round's receipt is not this round's.
    const other = await newRound({ options: ['A', 'B'] });
    expect((await getJson(vote, `/rounds/${other.round_id}/receipts/${second}`)).status).toBe(404);
  });
});

describe('GET /rounds/:id/ballots', () => {
  it('exports NDJSON: the round line, one line per ballot in receipt order, the end line; no voter identity', async () => {
    const round = await newRound({
      method: 'approval',
      options: ['Mon', 'Tue', 'Wed'],
      max_choices: 2,
    });
    const receipts = [
      await cast(round.round_id, { option_ids: [3, 1] }, 'alice@example.com'),
      await cast(round.round_id, { option_ids: [2] }, 'bob@example.com'),
      await cast(round.round_id, { option_ids: [1, 2] }),
    ];
    await closeAndFinalize(round);

    for (const app of [vote, result]) {
      for (const query of ['', '?format=ndjson']) {
        const response = await exportOf(app, round.round_id, query);
        expect(response.statusCode).toBe(200);
        expect(response.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
        expect(response.headers['content-disposition']).toContain('.ndjson');
        const lines = response.body
          .trimEnd()
          .split('\n')
          .map((line) => JSON.parse(line));
        expect(lines[0]).toEqual({
          round: {
            version: 1,
            round_id: round.round_id,
            name: expect.any(String),
            method: 'approval',
            options: [
              { option_id: 1, label: 'Mon' },
              { option_id: 2, label: 'Tue' },
              { option_id: 3, label: 'Wed' },
            ],
            min_choices: 1,
            max_choices: 2,
            status: 'closed',
            closed_at: expect.any(String),
            exported_at: expect.any(String),
          },
        });
        const ballots = lines.slice(1, -1);
        expect(ballots.map((line) => Object.keys(line))).toEqual(
          ballots.map(() => ['receipt', 'choices']),
        );
        expect(ballots.map((line) => line.receipt)).toEqual([...receipts].sort());
        const byReceipt = new Map(ballots.map((line) => [line.receipt, line.choices]));
        expect(receipts.map((receipt) => byReceipt.get(receipt))).toEqual([[1, 3], [2], [1, 2]]);
        expect(lines.at(-1)).toEqual({ end: { ballots: 3 } });
        expect(response.body).not.toContain('alice');
      }
    }
  });

  it('exports CSV (by ?format=csv or Accept: text/csv) with a header row and a per-option grid, read back exactly', async () => {
    const round = await newRound({
      method: 'condorcet',
      options: ['Smith, "Jr."', 'Doe; "the second"', 'Roe'],
    });
    const receipts = [
      await cast(round.round_id, { ranking: [2, 3, 1] }),
      await cast(round.round_id, { ranking: [3] }),
    ];
    await closeAndFinalize(round);
    const byQuery = await exportOf(result, round.round_id, '?format=csv');
    const byAccept = await exportOf(vote, round.round_id, '', { accept: 'text/csv' });
    const preferred = await exportOf(result, round.round_id, '', {
      accept: 'application/x-ndjson;q=0.5, text/csv',
    });
    for (const response of [byQuery, byAccept, preferred]) {
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
      expect(response.body).toBe(byQuery.body);
    }
    // Accept: */* and browsers' Accept get the default, NDJSON.
    expect((await exportOf(result, round.round_id, '', { accept: '*/*' })).body[0]).toBe('{');

    const rows = byQuery.body.split('\r\n');
    expect(rows[0]).toBe(
      'receipt,choices,round_id,method,min_choices,max_choices,' +
        '"option 1: Smith, ""Jr.""","option 2: Doe; ""the second""",option 3: Roe',
    );
    const sorted = [...receipts].sort();
    const expectedRows = new Map([
      [receipts[0], `${receipts[0]},2 3 1,${round.round_id},condorcet,,,3,1,2`],
      [receipts[1], `${receipts[1]},3,${round.round_id},condorcet,,,,,1`],
    ]);
    expect(rows.slice(1)).toEqual([...sorted.map((r) => expectedRows.get(r)), '']);

    const read = await records(byQuery.body);
    expect(read[0]).toMatchObject({
      type: 'round',
      format: 'csv',
      round: {
        round_id: round.round_id,
        method: 'condorcet',
        options: [
          { option_id: 1, label: 'Smith, "Jr."' },
          { option_id: 2, label: 'Doe; "the second"' },
          { option_id: 3, label: 'Roe' },
        ],
      },
    });
    expect(read.slice(1)).toEqual(
      sorted.map((receipt) => ({
        type: 'ballot',
        ballot: { receipt, choices: receipt === receipts[0] ? [2, 3, 1] : [3] },
      })),
    );
  });

  it('exports an empty round as its round line and {"end":{"ballots":0}}', async () => {
    const round = await newRound({ options: ['A', 'B'] });
    const full = await closeAndFinalize(round);
    const response = await exportOf(result, round.round_id);
    const lines = response.body.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[1] ?? '')).toEqual({ end: { ballots: 0 } });
    const recount = await recountBallotExport(chunksOf(response.body));
    expect(compareWithPublished(recount, publishedResults(full, recount.round)).match).toBe(true);
  });

  it('is hidden while open (403 ballots_hidden) unless the round has live results and public ballots, or the admin asks', async () => {
    const hidden = await newRound({ options: ['A', 'B'] });
    const publicLive = await newRound({ options: ['A', 'B'], public_ballots: true });
    const publicAfterClose = await newRound({
      options: ['A', 'B'],
      public_ballots: true,
      results: 'after_close',
    });
    for (const round of [hidden, publicLive, publicAfterClose]) {
      await cast(round.round_id, { option_id: 1 });
    }
    for (const app of [vote, result]) {
      for (const round of [hidden, publicAfterClose]) {
        const refused = await exportOf(app, round.round_id);
        expect(refused.statusCode).toBe(403);
        expect(refused.json()).toEqual({ error: 'ballots_hidden', message: expect.any(String) });
        expect(
          (await exportOf(app, round.round_id, '', { authorization: 'Bearer wrong' })).statusCode,
        ).toBe(403);
        const asAdmin = await exportOf(app, round.round_id, '?format=ndjson', {
          authorization: `Bearer ${round.admin_token}`,
        });
        expect(asAdmin.statusCode).toBe(200);
        expect(asAdmin.headers['cache-control']).toBe('no-store');
        expect(JSON.parse(asAdmin.body.split('\n')[0] ?? '').round.status).toBe('open');
      }
      const open = await exportOf(app, publicLive.round_id);
      expect(open.statusCode).toBe(200);
      expect(open.body.trimEnd().split('\n')).toHaveLength(3);
    }
    for (const round of [hidden, publicAfterClose]) {
      await closeAndFinalize(round);
      expect((await exportOf(result, round.round_id)).statusCode).toBe(200);
    }
    expect(await getJson(result, `/rounds/${crypto.randomUUID()}/ballots`)).toMatchObject({
      status: 404,
      body: { error: 'round_not_found' },
    });
    expect(await getJson(result, `/rounds/${hidden.round_id}/ballots?format=xml`)).toMatchObject({
      status: 400,
      body: { error: 'invalid_request' },
    });
  });

  it('is a consistent snapshot of an open round: a revote shows its new receipt only', async () => {
    const round = await newRound({ options: ['A', 'B'], public_ballots: true, allow_revote: true });
    const old = await cast(round.round_id, { option_id: 1 }, 'v');
    const replacement = await cast(round.round_id, { option_id: 2 }, 'v');
    const body = (await exportOf(result, round.round_id)).body;
    expect(body).not.toContain(old);
    expect(body).toContain(`{"receipt":"${replacement}","choices":[2]}`);
    // The held snapshot connection went back to the pool.
    expect(db.pool.totalCount - db.pool.idleCount).toBe(0);
  });
});

describe('ReceiptWindows', () => {
  it('covers every receipt once, in order, reading about two pages per window at most', () => {
    const hex = (bytes: number) =>
      Array.from({ length: bytes }, () =>
        Math.floor(Math.random() * 256)
          .toString(16)
          .padStart(2, '0'),
      ).join('');
    const uuid = () => {
      const h = hex(16);
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    };
    for (const total of [0, 1, 999, 1000, 25_000]) {
      const receipts = Array.from({ length: total }, uuid).sort();
      const pageSize = 1000;
      const windows = new ReceiptWindows(pageSize);
      const seen: string[] = [];
      let largestWindow = 0;
      let queries = 0;
      while (!windows.done) {
        const { after, upTo } = windows.next();
        const inWindow = receipts.filter((r) => r > after && r <= upTo);
        if (queries > 0) largestWindow = Math.max(largestWindow, inWindow.length);
        const page = inWindow.slice(0, pageSize);
        windows.advance(page.length, page.at(-1));
        seen.push(...page);
        queries++;
      }
      expect(seen).toEqual(receipts);
      expect(queries).toBeLessThan(total / pageSize + 20);
      // Beyond the first window (the whole space), no window holds more than a few pages.
      expect(largestWindow).toBeLessThan(4 * pageSize);
    }
  });
});

describe('recount', () => {
  it('matches the published result for every method, from NDJSON and CSV', async () => {
    const cases = [
      {
        settings: { options: ['A', 'B', 'C'] },
        ballots: [{ option_id: 1 }, { option_id: 3 }, { option_id: 1 }],
      },
      {
        settings: { method: 'approval', options: ['A', 'B', 'C'] },
        ballots: [{ option_ids: [1, 2] }, { option_ids: [3] }, { option_ids: [2, 3, 1] }],
      },
      {
        settings: { method: 'ranked', options: ['A', 'B', 'C', 'D'] },
        ballots: [{ ranking: [1, 2] }, { ranking: [2, 1] }, { ranking: [3, 2] }, { ranking: [4] }],
      },
      {
        settings: { method: 'condorcet', options: ['A', 'B', 'C'] },
        ballots: [{ ranking: [1, 2, 3] }, { ranking: [2, 3] }, { ranking: [3, 1] }],
      },
    ];
    for (const { settings, ballots } of cases) {
      const round = await newRound(settings);
      for (const ballot of ballots) await cast(round.round_id, ballot);
      const full = await closeAndFinalize(round);
      expect(full.tabulation.result.ballots).toBe(ballots.length);
      for (const format of ['ndjson', 'csv']) {
        const text = (await exportOf(result, round.round_id, `?format=${format}`)).body;
        const recount = await recountBallotExport(chunksOf(text, 50));
        const published = publishedResults(full, recount.round);
        // Plurality and approval are compared both with the stored tabulation and the counts.
        expect(published.results.length).toBe(
          ['ranked', 'condorcet'].includes(recount.round.method) ? 1 : 2,
        );
        expect(compareWithPublished(recount, published)).toEqual({ match: true, differences: [] });
      }
    }
  });

  it('refuses exports that are cut off, repeat a ballot, or hold a ballot the rules refuse', async () => {
    const round = await newRound({ method: 'ranked', options: ['A', 'B', 'C'] });
    for (const ranking of [[1, 2], [2], [3, 1, 2]]) await cast(round.round_id, { ranking });
    await closeAndFinalize(round);
    const text = (await exportOf(result, round.round_id)).body;
    const lines = text.trimEnd().split('\n');
    const recount = (body: string) => recountBallotExport(chunksOf(body));
    await expect(recount(lines.slice(0, -1).join('\n'))).rejects.toThrow(/no \{"end"/);
    await expect(
      recount([...lines.slice(0, 2), lines[1], ...lines.slice(2)].join('\n')),
    ).rejects.toThrow(/repeated/);
    await expect(recount(lines.slice(1).join('\n'))).rejects.toThrow(/first line/);
    await expect(recount(text.replace('"choices":[', '"choices":[1,1,'))).rejects.toThrow(
      /more than once/,
    );
    await expect(recount(text.replace('"choices":[', '"choices":[9,'))).rejects.toThrow(
      /not an option/,
    );
    await expect(recount(text.replace('"ballots":3', '"ballots":4'))).rejects.toThrow(/counts 4/);
    await expect(recount('')).rejects.toThrow(/empty/);
  });

  it('round trip on 10,000 ranked ballots: export → npm run recount matches; a tampered export does not', async () => {
    const round = await newRound({
      method: 'ranked',
      name: 'Ten thousand',
      options: ['Ash', 'Birch', 'Cedar', 'Douglas fir', 'Elm'],
    });
    // Random but reproducible rankings (a prefix of a full order), cast through POST /vote.
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const rankings = Array.from({ length: 10_000 }, () => {
      const order = [1, 2, 3, 4, 5].sort(() => random() - 0.5);
      return order.slice(0, 1 + Math.floor(random() * 5));
    });
    for (let i = 0; i < rankings.length; i += 1000) {
      const answers = await Promise.all(
        rankings
          .slice(i, i + 1000)
          .map((ranking) => postJson(vote, '/vote', { round_id: round.round_id, ranking })),
      );
      expect(answers.every((answer) => answer.status === 200)).toBe(true);
    }
    const full = await closeAndFinalize(round);
    expect(full.total_ballots).toBe(10_000);

    await result.listen({ port: 0, host: '127.0.0.1' });
    const address = result.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const roundUrl = `http://127.0.0.1:${port}/rounds/${round.round_id}`;

    const ndjson = await runRecount([`${roundUrl}/ballots`]);
    expect(ndjson.stderr).toBe('');
    expect(ndjson.stdout).toContain('10000 ballots in the NDJSON export');
    expect(ndjson.stdout).toContain('MATCH');
    expect(ndjson.code).toBe(0);

    const csv = await runRecount([`${roundUrl}/ballots?format=csv`, '--json']);
    expect(csv.code).toBe(0);
    const report = JSON.parse(csv.stdout);
    expect(report).toMatchObject({ ballots: 10_000, match: true, differences: [] });
    expect(report.result).toEqual(full.tabulation.result);

    // Tamper with one ballot: move its first choice to the end of its ranking.
    const dir = await mkdtemp(path.join(tmpdir(), 'recount-'));
    try {
      const exported = (await exportOf(result, round.round_id)).body;
      const file = path.join(dir, 'ballots.ndjson');
      await writeFile(file, exported);
      const honest = await runRecount([file, '--result', roundUrl]);
      expect(honest.code).toBe(0);

      const lines = exported.split('\n');
      const index = lines.findIndex((line) => /"choices":\[\d,\d/.test(line));
      const line = JSON.parse(lines[index] ?? '');
      line.choices = [...line.choices.slice(1), line.choices[0]];
      lines[index] = JSON.stringify(line);
      const tamperedFile = path.join(dir, 'tampered.ndjson');
      await writeFile(tamperedFile, lines.join('\n'));
      const resultFile = path.join(dir, 'round.json');
      await writeFile(resultFile, JSON.stringify(full));
      const tampered = await runRecount([tamperedFile, '--result', resultFile]);
      expect(tampered.stdout).toContain('MISMATCH');
      expect(tampered.stdout).toMatch(/tabulation\.result: at \$\.irv\.rounds\[0\]\.tallies/);
      expect(tampered.code).toBe(1);

      // Bad input: a cut-off file, and a file with nothing to compare with.
      const cutFile = path.join(dir, 'cut.ndjson');
      // Cut inside a line (10 characters into the one that starts before character 5,000), never
      // on a line break, which would be a different error.
      const whole = await readFile(file, 'utf8');
      await writeFile(cutFile, whole.slice(0, whole.lastIndexOf('\n', 5000) + 10));
      const cut = await runRecount([cutFile, '--result', resultFile]);
      expect(cut.code).toBe(2);
      expect(cut.stderr).toMatch(/recount: line \d+: the export ends mid-line/);
      expect((await runRecount([file])).code).toBe(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
