import { createPool, type Pool } from '@voting/db';
import type { HttpApp } from '@voting/runtime';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getJson, testResultApp, testVoteApp, testWorkerApp } from '../../../test/support/apps.ts';
import { castBallot, createRound } from '../../../test/support/ballots.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import type { WorkerApp } from '../../worker/src/app.ts';

let db: TestDatabase;
let vote: HttpApp;
let result: HttpApp;
let resultPool: Pool;
let worker: WorkerApp;
let workerPool: Pool;

beforeAll(async () => {
  db = await createTestDatabase();
  vote = await testVoteApp(db.url, db.pool);
  // The result service has a pool of its own, as a separate replica would.
  resultPool = createPool({ connectionString: db.url, max: 4 });
  result = await testResultApp(db.url, resultPool);
  // A worker drains as fast as it can meanwhile, so reads land before, during and after drains.
  workerPool = createPool({ connectionString: db.url, max: 2 });
  worker = await testWorkerApp(db.url, workerPool, { WORKER_POLL_INTERVAL_MS: '10' });
  worker.loop.start();
});
afterAll(async () => {
  await worker.loop.stop();
  await worker.app.close();
  await workerPool.end();
  await result.close();
  await resultPool.end();
  await vote.close();
  await db.drop();
});

it('sees every acknowledged vote in the result service at once, 1,000 times in a row (invariant 5)', async () => {
  const firsts = await createRound(vote, { options: ['A', 'B', 'C'] });
  const revotes = await createRound(vote, { options: ['A', 'B', 'C'], allow_revote: true });
  const expected = new Map<string, number[]>([
    [firsts.round_id, [0, 0, 0]],
    [revotes.round_id, [0, 0, 0]],
  ]);
  const choiceOf = new Map<string, number>();
  let misses = 0;
  for (let i = 1; i <= 1000; i++) {
    const option = (i * 7) % 3;
    // Every fourth vote is in the revote round, by one of 20 voters: mostly replacements.
    const round = i % 4 === 0 ? revotes.round_id : firsts.round_id;
    const voter = round === revotes.round_id ? `voter-${(i / 4) % 20}` : undefined;
    await castBallot(vote, 'plurality', round, [option + 1], voter);
    const counts = expected.get(round) as number[];
    if (voter) {
      const previous = choiceOf.get(voter);
      if (previous !== undefined) counts[previous] = (counts[previous] ?? 0) - 1;
      choiceOf.set(voter, option);
    }
    counts[option] = (counts[option] ?? 0) + 1;

    const read = await getJson(result, `/rounds/${round}/results`);
    const seen = [0, 0, 0];
    for (const row of read.body as { option_id: number; votes: number }[])
      seen[row.option_id - 1] = row.votes;
    if (read.status !== 200 || seen.join() !== counts.join()) misses++;
    expect(seen).toEqual(counts);
  }
  expect(misses).toBe(0);
  const stored = await db.pool.query('SELECT count(*)::int AS n FROM ballots WHERE round_id = $1', [
    revotes.round_id,
  ]);
  expect(stored.rows[0].n).toBe(20);
}, 120_000);

it('sees each acknowledged vote when 40 voters vote and read at once, sharing reads (invariant 5)', async () => {
  const round = await createRound(vote, { options: ['A', 'B'] });
  let acknowledged = 0;
  const shortfalls: string[] = [];
  await Promise.all(
    Array.from({ length: 40 }, async (_, voter) => {
      for (let i = 0; i < 10; i++) {
        await castBallot(vote, 'plurality', round.round_id, [(i % 2) + 1], `v${voter}-${i}`);
        acknowledged++;
        // Every vote acknowledged before this read was sent must be in its answer, even when
        // the read shares its query with other readers.
        const atLeast = acknowledged;
        const read = await getJson(result, `/rounds/${round.round_id}/results`);
        const total = (read.body as { votes: number }[]).reduce((sum, row) => sum + row.votes, 0);
        if (total < atLeast) shortfalls.push(`read ${total} after ${atLeast} acknowledged`);
      }
    }),
  );
  expect(shortfalls).toEqual([]);
  const final = await getJson(result, `/rounds/${round.round_id}/results`);
  expect((final.body as { votes: number }[]).reduce((sum, row) => sum + row.votes, 0)).toBe(400);
}, 60_000);
