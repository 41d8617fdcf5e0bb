import { createPool, type Pool } from '@voting/db';
import type { HttpApp } from '@voting/runtime';
import { scrapeMetrics } from '@voting/service';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { postJson, testVoteApp, testWorkerApp } from '../../../test/support/apps.ts';
import { createRound, fullResult } from '../../../test/support/ballots.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { metricValue } from '../../../test/support/recount.ts';
import type { WorkerApp } from '../src/app.ts';

let db: TestDatabase;
let vote: HttpApp;
const workers: { app: WorkerApp; pool: Pool }[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  vote = await testVoteApp(db.url, db.pool);
  // Two replicas, each with its own pool, as two pods would have.
  for (let i = 0; i < 2; i++) {
    const pool = createPool({ connectionString: db.url, max: 4 });
    workers.push({
      app: await testWorkerApp(db.url, pool, { WORKER_POLL_INTERVAL_MS: '50' }),
      pool,
    });
  }
});
afterAll(async () => {
  for (const { app, pool } of workers) {
    await app.loop.stop();
    await app.app.close();
    await pool.end();
  }
  await vote.close();
  await db.drop();
});

async function metricSum(name: string): Promise<number> {
  let sum = 0;
  for (const { app } of workers) {
    const text = await scrapeMetrics(app.app);
    sum += metricValue(text, name) ?? 0;
  }
  return sum;
}

it('closes rounds within 2 s of closes_at with two workers running, exactly once, then finalizes each once', async () => {
  // Warm the vote path first (a cold first request can take most of a second on a busy machine).
  await createRound(vote);
  // Eight rounds share one deadline, so both workers find them due at the same moment.
  const closesAt = new Date(Date.now() + 1000);
  const rounds = await Promise.all(
    Array.from({ length: 8 }, () => createRound(vote, { closes_at: closesAt.toISOString() })),
  );
  // Round i gets i + 1 votes, cast at once; on a slow machine some may come after the deadline
  // and be refused, so what each round must end with is what it accepted.
  const accepted = await Promise.all(
    rounds.map(async (round, i) => {
      const answers = await Promise.all(
        Array.from({ length: i + 1 }, (_, v) =>
          postJson(vote, '/vote', { round_id: round.round_id, option_id: (v % 3) + 1 }),
        ),
      );
      for (const answer of answers) expect([200, 409]).toContain(answer.status);
      return answers.filter((answer) => answer.status === 200).length;
    }),
  );
  for (const { app } of workers) app.loop.start();

  const ids = rounds.map((round) => round.round_id);
  const states = () =>
    db.pool.query<{ round_id: string; closed_at: Date | null; finalized_at: Date | null }>(
      'SELECT round_id, closed_at, finalized_at FROM rounds WHERE round_id = ANY($1)',
      [ids],
    );
  // Bounded wait: until every round is closed, at most 3 s past the deadline.
  await expect
    .poll(async () => (await states()).rows.every((row) => row.closed_at !== null), {
      timeout: Math.max(100, closesAt.getTime() + 3000 - Date.now()),
      interval: 20,
    })
    .toBe(true);
  const allClosedSeenAt = Date.now();
  expect(allClosedSeenAt - closesAt.getTime()).toBeLessThan(2000);
  for (const row of (await states()).rows) expect(row.closed_at).toEqual(closesAt);
  expect(await metricSum('worker_rounds_closed_total')).toBe(8);

  // Finalization follows by itself, once per round.
  const unfinalized = async () =>
    (await states()).rows.filter((row) => row.finalized_at === null).length;
  await expect.poll(unfinalized, { timeout: 5000, interval: 20 }).toBe(0);
  const finalized = new Map((await states()).rows.map((row) => [row.round_id, row.finalized_at]));
  expect([...finalized.values()].every((at) => at !== null)).toBe(true);
  for (const [i, round] of rounds.entries()) {
    const full = await fullResult(vote, round.round_id);
    expect(full).toMatchObject({ status: 'closed', final: true, total_ballots: accepted[i] });
    expect(full.closed_at).toBe(closesAt.toISOString());
  }

  // More loops of both workers change nothing: no second close, no second final. A deliberate
  // window of many worker loops, in which a second close or final (the bug) would show.
  await new Promise((resolve) => setTimeout(resolve, 400));
  expect(await metricSum('worker_rounds_closed_total')).toBe(8);
  expect(await metricSum('worker_rounds_finalized_total')).toBe(8);
  expect(new Map((await states()).rows.map((row) => [row.round_id, row.finalized_at]))).toEqual(
    finalized,
  );
  const stored = await db.pool.query(
    'SELECT count(*)::int AS n FROM round_results WHERE round_id = ANY($1) AND final',
    [ids],
  );
  expect(stored.rows[0].n).toBe(8);
}, 20_000);
