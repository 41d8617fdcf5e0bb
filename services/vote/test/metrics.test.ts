import type { HttpApp } from '@voting/runtime';
import { scrapeMetrics } from '@voting/service';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { postJson, testVoteApp } from '../../../test/support/apps.ts';
import { castBallot, closeRoundAsAdmin, createRound } from '../../../test/support/ballots.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { metricValue } from '../../../test/support/recount.ts';

let db: TestDatabase;
let replicaA: HttpApp;
let replicaB: HttpApp;

beforeAll(async () => {
  db = await createTestDatabase();
  replicaA = await testVoteApp(db.url, db.pool);
  replicaB = await testVoteApp(db.url, db.pool);
});
afterAll(async () => {
  await replicaA?.close();
  await replicaB?.close();
  await db?.drop();
});

const roundOpen = async (app: HttpApp, roundId: string) =>
  metricValue(await scrapeMetrics(app), 'voting_round_open', `round_id="${roundId}"`);

it('shows voting_round_open 0 once another replica has closed the round', async () => {
  const round = await createRound(replicaA);
  await castBallot(replicaA, 'plurality', round.round_id, [1], 'alice');
  expect(await roundOpen(replicaA, round.round_id)).toBe(1);

  await closeRoundAsAdmin(replicaB, round);
  expect(await roundOpen(replicaB, round.round_id)).toBe(0);
  expect(await roundOpen(replicaA, round.round_id)).toBe(0);
});

it('shows voting_round_open 0 once the deadline has passed, before anyone records the close', async () => {
  const closesAt = new Date(Date.now() + 1500).toISOString();
  const { body: round } = await postJson(replicaA, '/rounds', { closes_at: closesAt });
  await castBallot(replicaA, 'plurality', round.round_id, [1], 'bob');
  expect(await roundOpen(replicaA, round.round_id)).toBe(1);
  // No worker runs here: only the deadline closes the round.
  await expect.poll(() => roundOpen(replicaA, round.round_id), { timeout: 5000 }).toBe(0);
});
