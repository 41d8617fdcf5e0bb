/**
 * Invariant 8, surface by surface: the figures of a round whose results are hidden until close
 * reach nobody without its admin token while it is open — not the API of either service, the
 * export, the pages, the public live stream (one event for its state, however many ballots), nor
 * the metrics of vote or result (no per-option series at all), nor the logs of any service (read
 * at debug level, the most any deployment writes). Its admin sees every figure; once the round
 * closes, everyone does.
 */
import type { AddressInfo } from 'node:net';
import { createPool, type Pool } from '@voting/db';
import { createLogger, type HttpApp } from '@voting/runtime';
import { scrapeMetrics } from '@voting/service';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerApp } from '../services/worker/src/app.ts';
import { testResultApp, testVoteApp, testWorkerApp } from './support/apps.ts';
import {
  type CreatedRound,
  castBallot,
  closeRoundAsAdmin,
  createRound,
} from './support/ballots.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { connectSse, type SseClient, type SseEvent } from './support/sse-client.ts';

const BALLOTS = 12;
const LABELS = ['Zanzibar-option', 'Quetzal-option', 'Xylophone-option'];

let db: TestDatabase;
let vote: HttpApp;
let result: HttpApp;
let resultPool: Pool;
let worker: WorkerApp;
let workerPool: Pool;
let baseUrl: string;
let round: CreatedRound;
let receipt: string;
let visitor: SseClient;
let admin: SseClient;
/** Every log line the three services wrote, at debug level. */
const logLines: string[] = [];
const capturedLogger = (service: string) =>
  createLogger(service, 'debug', { write: (line: string) => logLines.push(line) });

const admins = () => ({ authorization: `Bearer ${round.admin_token}` });
const withTotal = (total: number) => (event: SseEvent) =>
  event.event === 'results' && event.json?.total_ballots === total;

beforeAll(async () => {
  db = await createTestDatabase();
  vote = await testVoteApp(db.url, db.pool, {}, capturedLogger('vote'));
  workerPool = createPool({ connectionString: db.url, max: 4 });
  worker = await testWorkerApp(db.url, workerPool, {}, capturedLogger('worker'));
  worker.loop.start();
  resultPool = createPool({ connectionString: db.url, max: 10 });
  result = await testResultApp(db.url, resultPool, {}, capturedLogger('result'));
  await result.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(result.server.address() as AddressInfo).port}`;

  round = await createRound(vote, {
    name: 'Secret-round-name',
    options: LABELS,
    results: 'after_close',
  });
  const stream = `${baseUrl}/rounds/${round.round_id}/results/stream`;
  visitor = await connectSse(stream);
  admin = await connectSse(stream, admins());
  await admin.waitForEvent(withTotal(0));
  // Ballots one at a time, each drained by the worker and seen by the admin's stream before the
  // next: every one of them is a change the stream hub reads and could have sent.
  for (let n = 1; n <= BALLOTS; n++) {
    const cast = await castBallot(vote, 'plurality', round.round_id, [n % 3 === 0 ? 3 : 1]);
    receipt = cast.receipt;
    await admin.waitForEvent(withTotal(n), 5000);
  }
});

afterAll(async () => {
  visitor?.close();
  admin?.close();
  await result?.close();
  await resultPool?.end();
  await worker?.loop.stop();
  await worker?.app.close();
  await workerPool?.end();
  await vote?.close();
  await db?.drop();
});

/** Whatever the body, it carries no figure of the round. */
function expectNoFigures(body: string, where: string): void {
  expect(body, where).not.toMatch(/"votes"|"total_ballots"|"share"|"tabulation"/);
}

describe('a round hiding its results until close, with ballots, while open', () => {
  it('answers its results on both services only to its admin', async () => {
    for (const [service, app] of [
      ['vote', vote],
      ['result', result],
    ] as const) {
      for (const url of [`/rounds/${round.round_id}`, `/rounds/${round.round_id}/results`]) {
        const answer = await app.inject({ url });
        expect(answer.statusCode, `${service} ${url}`).toBe(403);
        expect(answer.json().error).toBe('results_hidden');
        expectNoFigures(answer.body, `${service} ${url}`);
      }
      const definition = await app.inject({ url: `/rounds/${round.round_id}/definition` });
      expect(definition.statusCode).toBe(200);
      expectNoFigures(definition.body, `${service} definition`);

      const seen = await app.inject({ url: `/rounds/${round.round_id}`, headers: admins() });
      expect(seen.statusCode).toBe(200);
      expect(seen.json().total_ballots).toBe(BALLOTS);
    }
  });

  it('keeps the export closed to the public, in both formats, and open to its admin', async () => {
    for (const app of [vote, result]) {
      for (const query of ['', '?format=csv']) {
        const answer = await app.inject({ url: `/rounds/${round.round_id}/ballots${query}` });
        expect(answer.statusCode, query).toBe(403);
        expect(answer.body).not.toContain(receipt);
      }
      const exported = await app.inject({
        url: `/rounds/${round.round_id}/ballots`,
        headers: admins(),
      });
      expect(exported.statusCode).toBe(200);
      expect(exported.body).toContain(receipt);
    }
  });

  it('shows a receipt’s holder that one ballot and nothing of the totals; the pages carry none', async () => {
    const checked = await vote.inject({ url: `/rounds/${round.round_id}/receipts/${receipt}` });
    expect(checked.statusCode).toBe(200);
    expectNoFigures(checked.body, 'receipt');
    for (const url of [`/r/${round.round_id}`, `/r/${round.round_id}/results`]) {
      const page = await vote.inject({ url });
      expect(page.statusCode, url).toBe(200);
      expectNoFigures(page.body, url);
    }
  });

  it('sends the public stream one event for the round’s state, however many ballots; the admin every change', async () => {
    // The admin's stream saw each ballot (beforeAll waited for each total).
    for (let n = 0; n <= BALLOTS; n++)
      expect(admin.events.some(withTotal(n)), `admin saw ${n}`).toBe(true);
    // A deliberate window after the last ballot: any late public event would show up in it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(visitor.events.map((event) => event.event)).toEqual(['hidden']);
    expect(visitor.events[0]?.json).toMatchObject({ round_id: round.round_id, status: 'open' });
    expectNoFigures(visitor.events[0]?.data ?? '', 'hidden event');
    expect(visitor.events[0]?.data).not.toContain('as_of');
  });

  it('exports no per-option series of the round on the metrics of vote or result', async () => {
    const votePage = await scrapeMetrics(vote);
    const voteSeries = votePage
      .split('\n')
      .filter((line) => !line.startsWith('#') && line.includes(round.round_id));
    // The round is known to be open, and that is all.
    expect(voteSeries).toEqual([
      expect.stringMatching(/^voting_round_open\{round_id="[^"]+",service="vote"\} 1$/),
    ]);
    for (const label of [...LABELS, 'Secret-round-name']) expect(votePage).not.toContain(label);
    const resultPage = await scrapeMetrics(result);
    expect(resultPage).not.toContain(round.round_id);
    for (const label of LABELS) expect(resultPage).not.toContain(label);
  });

  it('writes no figure of the round, no receipt and no admin token into any log line', () => {
    // The reads above (the admin's included, whose answers carry every figure) were logged.
    expect(logLines.length).toBeGreaterThan(BALLOTS);
    for (const line of logLines) {
      expectNoFigures(line, line);
      expect(line).not.toContain(receipt);
      expect(line).not.toContain(round.admin_token);
    }
  });
});

describe('the same round once closed', () => {
  it('shows everyone its figures: API, stream and the vote replica’s own counts', async () => {
    await closeRoundAsAdmin(vote, round);
    const answer = await result.inject({ url: `/rounds/${round.round_id}` });
    expect(answer.statusCode).toBe(200);
    expect(answer.json().total_ballots).toBe(BALLOTS);
    const revealed = await visitor.waitForEvent((event) => event.event === 'results', 5000);
    expect(revealed.json).toMatchObject({ status: 'closed', total_ballots: BALLOTS });

    const votePage = await scrapeMetrics(vote);
    const counts = votePage
      .split('\n')
      .filter((line) => line.startsWith('voting_votes_total{') && line.includes(round.round_id))
      .map((line) => Number(line.slice(line.lastIndexOf(' ') + 1)));
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(BALLOTS);
  });
});
