import { createClient, ROUND_CHANGED_CHANNEL } from '@voting/db';
import { METHODS } from '@voting/domain';
import type { HttpApp } from '@voting/runtime';
import type pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testVoteApp, testWorkerApp } from '../../../test/support/apps.ts';
import { castBallot, createRound } from '../../../test/support/ballots.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import type { WorkerApp } from '../src/app.ts';

let db: TestDatabase;
let vote: HttpApp;
let worker: WorkerApp;
let listener: pg.Client;
const heard: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  vote = await testVoteApp(db.url, db.pool);
  worker = await testWorkerApp(db.url, db.pool, { WORKER_TABULATION_INTERVAL_MS: '0' });
  listener = createClient(db.url);
  await listener.connect();
  listener.on('notification', (message) => heard.push(message.payload ?? ''));
  await listener.query(`LISTEN ${ROUND_CHANGED_CHANNEL}`);
});
afterAll(async () => {
  await listener?.end();
  await worker?.app.close();
  await vote?.close();
  await db?.drop();
});

it.each(METHODS)('announces a drained change of a %s round once', async (method) => {
  const round = await createRound(vote, { method });
  await castBallot(vote, method, round.round_id, [2], 'voter');
  heard.length = 0;
  await worker.loop.runOnce();
  // A second loop with nothing new must not announce again.
  await worker.loop.runOnce();
  const announced = () => heard.filter((roundId) => roundId === round.round_id).length;
  await expect.poll(announced).toBeGreaterThan(0);
  // Notifications come after their commit, asynchronously; by the time the listener's own round
  // trips are answered, any second one sent with the first would have arrived.
  for (let i = 0; i < 3; i++) await listener.query('SELECT 1');
  expect(announced()).toBe(1);
});
