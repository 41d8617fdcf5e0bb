import type { AddressInfo } from 'node:net';
import { createPool, type Pool } from '@voting/db';
import type { HttpApp } from '@voting/runtime';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testResultApp, testVoteApp, testWorkerApp } from '../../../test/support/apps.ts';
import { castBallot, createRound } from '../../../test/support/ballots.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { connectSse, type SseClient, type SseEvent } from '../../../test/support/sse-client.ts';
import { hostAndPort, TcpProxy, throughProxy } from '../../../test/support/tcp-proxy.ts';
import type { WorkerApp } from '../../worker/src/app.ts';

let db: TestDatabase;
let vote: HttpApp;
let worker: WorkerApp;
let workerPool: Pool;
let result: HttpApp;
let resultPool: Pool;
let proxy: TcpProxy;
let client: SseClient | undefined;

beforeAll(async () => {
  db = await createTestDatabase();
  vote = await testVoteApp(db.url, db.pool);
  workerPool = createPool({ connectionString: db.url, max: 4 });
  worker = await testWorkerApp(db.url, workerPool, { WORKER_POLL_INTERVAL_MS: '20' });
  worker.loop.start();
  const { host, port } = hostAndPort(db.url);
  proxy = new TcpProxy(host, port);
  await proxy.start();
  // Only the LISTEN connection goes through the proxy; reads keep their direct pool.
  resultPool = createPool({ connectionString: db.url, max: 4 });
  result = await testResultApp(db.url, resultPool, {
    DATABASE_LISTEN_URL: throughProxy(db.url, proxy),
  });
  await result.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  client?.close();
  await result.close();
  await resultPool.end();
  await proxy.cut();
  await worker.loop.stop();
  await worker.app.close();
  await workerPool.end();
  await vote.close();
  await db.drop();
});

/** Backends of this database sitting in LISTEN (the result service's listener). */
async function listeners(): Promise<number> {
  const answer = await db.pool.query(
    `SELECT count(*)::int AS n FROM pg_stat_activity
     WHERE datname = current_database() AND query = 'LISTEN round_changed'`,
  );
  return answer.rows[0].n;
}

// Polled every 25 ms for up to 3 s.
const soon = { timeout: 3000, interval: 25 };

const withTotal = (total: number) => (event: SseEvent) =>
  event.event === 'results' && event.json?.total_ballots === total;

it('reconnects the change listener by itself after its connection is cut, and streams resume', async () => {
  const port = (result.server.address() as AddressInfo).port;
  const round = await createRound(vote);
  client = await connectSse(`http://127.0.0.1:${port}/rounds/${round.round_id}/results/stream`);
  await client.waitForEvent(withTotal(0));
  await expect.poll(listeners, soon).toBe(1);

  // Cut the listener's connection; a vote is counted while no notification can arrive.
  await proxy.cut();
  await expect.poll(listeners, soon).toBe(0);
  await castBallot(vote, 'plurality', round.round_id, [1]);
  const pending = async () => (await db.pool.query('SELECT 1 FROM ballot_changes')).rowCount;
  await expect.poll(pending, soon).toBe(0);
  // Deliberately lets time pass: long enough for several reconnect attempts to fail (after 250,
  // 500, 1000 ms of backoff), during which the vote must NOT reach the client.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  expect(client.events.some(withTotal(1))).toBe(false);
  // Meanwhile the replica says it is not ready, so no new stream client is sent to it.
  const unready = await result.inject({ url: '/readyz' });
  expect(unready.statusCode).toBe(503);
  expect(unready.json().message).toMatch(/change listener/);

  // Back: the listener reconnects on its own and re-reads what it may have missed.
  await proxy.restore();
  await client.waitForEvent(withTotal(1), 8000);
  await expect.poll(listeners, soon).toBe(1);
  expect((await result.inject({ url: '/readyz' })).statusCode).toBe(200);

  // And notifications flow again: the next vote arrives within a second of its answer.
  await castBallot(vote, 'plurality', round.round_id, [2]);
  const acknowledgedAt = performance.now();
  const next = await client.waitForEvent(withTotal(2), 2000);
  expect(next.receivedAt - acknowledgedAt).toBeLessThan(1000);
  // Exactly one listener, not one per reconnect attempt: a deliberate window in which a late
  // extra listener (the bug) would appear.
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(await listeners()).toBe(1);
}, 30_000);
