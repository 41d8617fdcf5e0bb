import type { HttpApp } from '@voting/runtime';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testVoteApp, testWorkerApp } from '../../../test/support/apps.ts';
import { castBallot, createRound } from '../../../test/support/ballots.ts';
import {
  createTestDatabase,
  type TestDatabase,
  untilListening,
} from '../../../test/support/database.ts';
import { pendingChanges } from '../../../test/support/recount.ts';
import type { WorkerApp } from '../src/app.ts';

/**
 * An idle worker is woken by the vote replica's `ballots_pending` notification instead of waiting
 * for its next poll: with a poll of a minute, a vote is still aggregated within seconds.
 */
let db: TestDatabase;
let vote: HttpApp;
let worker: WorkerApp;

beforeAll(async () => {
  db = await createTestDatabase();
  vote = await testVoteApp(db.url, db.pool);
  worker = await testWorkerApp(db.url, db.pool, { WORKER_POLL_INTERVAL_MS: '60000' });
  // Listening starts the loop (one pass, then a minute's pause) and the LISTEN connection, once
  // the schema check passes (the test waits for the LISTEN below).
  await worker.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await worker?.app.close();
  await vote?.close();
  await db?.drop();
});

it('aggregates a vote long before its next poll, woken by the vote replica', async () => {
  // A vote before the worker's LISTEN would wait for the minute's poll.
  await untilListening(db.pool);
  const round = await createRound(vote);
  // Several votes, one at a time: each wakes the worker again (it sleeps a minute in between).
  for (let n = 0; n < 3; n++) {
    await castBallot(vote, 'plurality', round.round_id, [1 + n]);
    await expect
      .poll(() => pendingChanges(db.pool, round.round_id), { timeout: 10_000, interval: 50 })
      .toBe(0);
  }
});
