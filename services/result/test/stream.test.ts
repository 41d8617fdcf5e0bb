import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPool, type Pool } from '@voting/db';
import type { HttpApp } from '@voting/runtime';
import { scrapeMetrics } from '@voting/service';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testResultApp, testVoteApp, testWorkerApp } from '../../../test/support/apps.ts';
import { castBallot, closeRoundAsAdmin, createRound } from '../../../test/support/ballots.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { metricValue } from '../../../test/support/recount.ts';
import { connectSse, type SseClient, type SseEvent } from '../../../test/support/sse-client.ts';
import type { WorkerApp } from '../../worker/src/app.ts';

let db: TestDatabase;
let vote: HttpApp;
let worker: WorkerApp;
let workerPool: Pool;
let result: HttpApp;
let resultPool: Pool;
let baseUrl: string;
/** Queries the result service sent to the database (its pool's query, wrapped). */
let resultQueries = 0;
const clients: SseClient[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  vote = await testVoteApp(db.url, db.pool);
  workerPool = createPool({ connectionString: db.url, max: 4 });
  worker = await testWorkerApp(db.url, workerPool);
  worker.loop.start();

  resultPool = createPool({ connectionString: db.url, max: 10 });
  const query = resultPool.query.bind(resultPool);
  resultPool.query = ((...args: Parameters<typeof query>) => {
    resultQueries++;
    return query(...args);
  }) as typeof resultPool.query;
  result = await testResultApp(db.url, resultPool, {
    STREAM_HEARTBEAT_SECONDS: '1',
    // Hundreds of clients here share the loopback address.
    STREAM_MAX_CLIENTS_PER_ADDRESS: '1000',
  });
  await result.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(result.server.address() as AddressInfo).port}`;
});
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});
afterAll(async () => {
  await result.close();
  await resultPool.end();
  await worker.loop.stop();
  await worker.app.close();
  await workerPool.end();
  await vote.close();
  await db.drop();
});

async function watch(
  roundId: string,
  headers: Record<string, string> = {},
  agent?: http.Agent,
): Promise<SseClient> {
  const client = await connectSse(`${baseUrl}/rounds/${roundId}/results/stream`, headers, agent);
  clients.push(client);
  return client;
}

const withTotal = (total: number) => (event: SseEvent) =>
  event.event === 'results' && event.json?.total_ballots === total;

async function resultMetric(name: string): Promise<number> {
  return metricValue(await scrapeMetrics(result), name) ?? 0;
}

describe('GET /rounds/:id/results/stream', () => {
  it('answers with SSE headers that get through proxies, and the current result first', async () => {
    const round = await createRound(vote);
    await castBallot(vote, 'plurality', round.round_id, [2]);
    const client = await watch(round.round_id);
    expect(client.status).toBe(200);
    expect(client.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(client.headers['cache-control']).toContain('no-cache');
    expect(client.headers['x-accel-buffering']).toBe('no');
    const first = await client.waitForEvent(() => true);
    expect(client.events[0]).toBe(first);
    expect(first.event).toBe('results');
    expect(first.id).toMatch(/^\d+$/);
    // The vote is not aggregated yet, or just was: either way the first event counts it.
    expect(first.json).toMatchObject({ round_id: round.round_id, total_ballots: 1, final: false });
    expect(first.json.results[0]).toMatchObject({ option_id: 2, votes: 1 });
  });

  it('delivers a new result within 1 s of each vote acknowledgement', async () => {
    const round = await createRound(vote);
    const client = await watch(round.round_id);
    await client.waitForEvent(withTotal(0));
    const latencies: number[] = [];
    for (let n = 1; n <= 5; n++) {
      await castBallot(vote, 'plurality', round.round_id, [(n % 3) + 1]);
      const acknowledgedAt = performance.now();
      const event = await client.waitForEvent(withTotal(n), 2000);
      latencies.push(Math.max(0, event.receivedAt - acknowledgedAt));
    }
    expect(Math.max(...latencies)).toBeLessThan(1000);
    // Ids grow with the moment the figures are exact for.
    const ids = client.events.map((event) => Number(event.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('does not resend the current result to a client resuming with its Last-Event-ID', async () => {
    const round = await createRound(vote);
    await castBallot(vote, 'plurality', round.round_id, [1]);
    const first = await watch(round.round_id);
    const current = await first.waitForEvent(withTotal(1));

    const resumed = await watch(round.round_id, { 'last-event-id': current.id as string });
    const stale = await watch(round.round_id, { 'last-event-id': '1' });
    expect((await stale.waitForEvent(() => true)).id).toBe(current.id);
    // A deliberate window: the resumed client must NOT get the current result again, and an
    // absence can only be seen by letting time pass (the stale client's event came meanwhile).
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(resumed.status).toBe(200);
    expect(resumed.events).toEqual([]);

    await castBallot(vote, 'plurality', round.round_id, [3]);
    const next = await resumed.waitForEvent(withTotal(2), 2000);
    expect(next.id).not.toBe(current.id);
    expect(resumed.events).toHaveLength(1);
  });

  it('sends a heartbeat comment every STREAM_HEARTBEAT_SECONDS', async () => {
    const round = await createRound(vote);
    const client = await watch(round.round_id);
    await client.waitForEvent(() => true);
    expect(client.comments).toEqual([]);
    expect(await client.waitForComment(2500)).toBe('heartbeat');
  });

  it('hides results from the public of an after_close round and shows them to the admin, then to all at close', async () => {
    const round = await createRound(vote, { results: 'after_close' });
    await castBallot(vote, 'plurality', round.round_id, [1]);
    const visitor = await watch(round.round_id);
    const admin = await watch(round.round_id, { authorization: `Bearer ${round.admin_token}` });
    const wrong = await watch(round.round_id, { authorization: 'Bearer not-the-token' });

    const hidden = await visitor.waitForEvent(() => true);
    expect(hidden.event).toBe('hidden');
    expect(hidden.json).toMatchObject({ round_id: round.round_id, status: 'open' });
    expect(hidden.json).not.toHaveProperty('results');
    expect(hidden.json).not.toHaveProperty('total_ballots');
    expect((await wrong.waitForEvent(() => true)).event).toBe('hidden');
    expect(await admin.waitForEvent(() => true)).toMatchObject({ event: 'results' });
    expect(admin.events[0]?.json.total_ballots).toBe(1);

    await castBallot(vote, 'plurality', round.round_id, [2]);
    await admin.waitForEvent(withTotal(2), 2000);
    // A deliberate window after the admin saw the ballot: no results event may reach the others
    // within it (an absence, so time has to pass).
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const event of [...visitor.events, ...wrong.events]) {
      expect(event.event).toBe('hidden');
      expect(event.data).not.toContain('"results"');
    }

    await closeRoundAsAdmin(vote, round);
    const revealed = await visitor.waitForEvent((event) => event.event === 'results', 3000);
    expect(revealed.json).toMatchObject({ status: 'closed', total_ballots: 2 });
    await visitor.waitForEvent((event) => event.json?.final === true, 3000);
  });

  it('reads the database once per change for 200 clients of one round, not 200 times', async () => {
    const round = await createRound(vote);
    const agent = new http.Agent({ keepAlive: false, maxSockets: 300 });
    const readsBefore = await resultMetric('result_stream_reads_total');
    const watchers = await Promise.all(
      Array.from({ length: 200 }, () => watch(round.round_id, {}, agent)),
    );
    await Promise.all(watchers.map((client) => client.waitForEvent(withTotal(0))));
    expect(await resultMetric('result_stream_clients')).toBe(200);
    // Connecting 200 clients at once costs one shared read, not one each.
    expect((await resultMetric('result_stream_reads_total')) - readsBefore).toBe(1);
    // A deliberate pause: any late read from the connections lands before the baseline below,
    // so the count after the vote is the vote's alone.
    await new Promise((resolve) => setTimeout(resolve, 200));

    const reads = await resultMetric('result_stream_reads_total');
    const events = await resultMetric('result_stream_events_total');
    const queries = resultQueries;
    await castBallot(vote, 'plurality', round.round_id, [1]);
    await Promise.all(watchers.map((client) => client.waitForEvent(withTotal(1), 3000)));
    // A deliberate window: a stray extra read (the bug this guards against) would show up in it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await resultMetric('result_stream_reads_total')) - reads).toBe(1);
    expect(resultQueries - queries).toBe(1);
    expect((await resultMetric('result_stream_events_total')) - events).toBe(200);
    for (const client of watchers) expect(client.events).toHaveLength(2);

    for (const client of watchers) client.close();
    await expect
      .poll(() => resultMetric('result_stream_clients'), { timeout: 3000, interval: 20 })
      .toBe(0);
    agent.destroy();
  }, 30_000);

  it('answers an unknown round with 404 and a malformed id with 400, as JSON', async () => {
    const unknown = await fetch(`${baseUrl}/rounds/${randomUUID()}/results/stream`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: 'round_not_found' });
    const malformed = await fetch(`${baseUrl}/rounds/not-a-uuid/results/stream`);
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await malformed.json()).toMatchObject({ error: 'invalid_request' });
  });
});
