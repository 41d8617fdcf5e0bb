/**
 * The trace context across the asynchronous hop, at the database (docs/observability.md): a
 * sampled vote's traceparent is stored with its change row (migration 0010), untraced ballots
 * still share a row per distinct ballot, and a traced drain reads them back and announces them
 * before the plain `round_changed` of the round — never for a round whose results are hidden, and
 * never past PostgreSQL's 8,000-byte payload.
 */
import { randomBytes } from 'node:crypto';
import {
  announceRoundChanged,
  type BallotToCast,
  castBallots,
  createClient,
  drainBallotChanges,
  MAX_TRACE_LINKS,
  parseRoundChanged,
  ROUND_CHANGED_CHANNEL,
} from '@voting/db';
import type { HttpApp } from '@voting/runtime';
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { testVoteApp } from '../../../test/support/apps.ts';
import { createRound } from '../../../test/support/ballots.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';

let db: TestDatabase;
let vote: HttpApp;
let listener: pg.Client;
const heard: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  vote = await testVoteApp(db.url, db.pool);
  listener = createClient(db.url);
  await listener.connect();
  listener.on('notification', (message) => heard.push(message.payload ?? ''));
  await listener.query(`LISTEN ${ROUND_CHANGED_CHANNEL}`);
});
beforeEach(async () => {
  // Each test drains what it cast, and only that.
  await drainBallotChanges(db.pool, 100_000);
});
afterAll(async () => {
  await listener?.end();
  await vote?.close();
  await db?.drop();
});

const traceparent = () =>
  `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
const ballot = (roundId: string, choice: number, sampled?: string): BallotToCast => ({
  roundId,
  voterKey: randomBytes(32),
  choices: [choice],
  ...(sampled ? { traceparent: sampled } : {}),
});
/** What the listener heard of one round, after giving the notifications time to arrive. */
async function heardOf(roundId: string): Promise<string[]> {
  await new Promise((resolve) => setTimeout(resolve, 200));
  return heard.filter((payload) => payload.startsWith(roundId));
}

it('stores a sampled vote’s traceparent with its change, and groups the untraced ones', async () => {
  const { round_id: roundId } = await createRound(vote);
  const traced = [traceparent(), traceparent()];
  const outcomes = await castBallots(db.pool, [
    ballot(roundId, 1),
    ballot(roundId, 1),
    ballot(roundId, 1, traced[0]),
    ballot(roundId, 1, traced[1]),
    ballot(roundId, 2),
  ]);
  expect(outcomes.map((outcome) => outcome.outcome)).toEqual(Array(5).fill('accepted'));
  const rows = await db.pool.query<{
    choices: number[];
    delta: number;
    traceparent: string | null;
  }>(
    `SELECT choices, delta, traceparent FROM ballot_changes WHERE round_id = $1
     ORDER BY choices, traceparent NULLS FIRST`,
    [roundId],
  );
  expect(rows.rows).toEqual([
    { choices: [1], delta: 2, traceparent: null },
    ...traced.sort().map((value) => ({ choices: [1], delta: 1, traceparent: value })),
    { choices: [2], delta: 1, traceparent: null },
  ]);
  // An untraced batch writes as before: one row per distinct ballot, no traceparent.
  await castBallots(db.pool, [ballot(roundId, 3), ballot(roundId, 3)]);
  const plain = await db.pool.query(
    'SELECT delta, traceparent FROM ballot_changes WHERE round_id = $1 AND choices = $2',
    [roundId, [3]],
  );
  expect(plain.rows).toEqual([{ delta: 2, traceparent: null }]);
});

it('reads them back in a traced drain and announces them before the round itself', async () => {
  const { round_id: roundId } = await createRound(vote);
  const traced = [traceparent(), traceparent()];
  await castBallots(db.pool, [ballot(roundId, 1, traced[0])]);
  await castBallots(db.pool, [ballot(roundId, 2), ballot(roundId, 1, traced[1])]);
  const drained = await drainBallotChanges(db.pool, 1000, { traced: true });
  expect(drained.changes).toBe(3);
  expect(drained.traces).toEqual([
    { roundId, ranked: false, hidden: false, traced: 2, traceparents: traced },
  ]);
  const announced = await heardOf(roundId);
  expect(announced).toEqual([`${roundId} ${traced.join(' ')}`, roundId]);
  expect(parseRoundChanged(announced[0] as string)).toEqual({ roundId, traceparents: traced });
  expect(parseRoundChanged(roundId)).toEqual({ roundId, traceparents: [] });
});

it('announces a round only plainly when no change carried a trace, or when untraced', async () => {
  const { round_id: roundId } = await createRound(vote);
  await castBallots(db.pool, [ballot(roundId, 1)]);
  const drained = await drainBallotChanges(db.pool, 1000, { traced: true });
  expect(drained.traces?.[0]).toMatchObject({ traced: 0, traceparents: [] });
  await castBallots(db.pool, [ballot(roundId, 1, traceparent())]);
  // The release before's drain: it neither reads nor announces them.
  const untraced = await drainBallotChanges(db.pool, 1000);
  expect(untraced.traces).toBeUndefined();
  expect(await heardOf(roundId)).toEqual([roundId, roundId]);
});

it('never announces the votes of a round whose results are hidden (invariant 8)', async () => {
  const { round_id: roundId } = await createRound(vote, { results: 'after_close' });
  const sampled = traceparent();
  await castBallots(db.pool, [ballot(roundId, 1, sampled)]);
  const drained = await drainBallotChanges(db.pool, 1000, { traced: true });
  // The worker's own span may link to it (it names no round); the stream hears nothing of it.
  expect(drained.traces).toEqual([
    { roundId, ranked: false, hidden: true, traced: 1, traceparents: [sampled] },
  ]);
  expect(await heardOf(roundId)).toEqual([roundId]);
});

it(`keeps at most ${MAX_TRACE_LINKS} traceparents a round, within the 8,000-byte payload`, async () => {
  const { round_id: roundId } = await createRound(vote);
  const sampled = Array.from({ length: 200 }, traceparent);
  await castBallots(
    db.pool,
    sampled.map((value) => ballot(roundId, 1, value)),
  );
  const drained = await drainBallotChanges(db.pool, 1000, { traced: true });
  expect(drained.traces?.[0]?.traced).toBe(200);
  expect(drained.traces?.[0]?.traceparents).toHaveLength(MAX_TRACE_LINKS);
  const announced = await heardOf(roundId);
  expect(announced).toHaveLength(2);
  const [withTraces] = announced;
  expect(Buffer.byteLength(withTraces as string)).toBeLessThan(8000);
  expect(parseRoundChanged(withTraces as string).traceparents).toHaveLength(MAX_TRACE_LINKS);
});

it('announces a tabulated round with its votes first, then plainly', async () => {
  const { round_id: roundId } = await createRound(vote, { method: 'ranked' });
  const sampled = [traceparent(), traceparent()];
  await announceRoundChanged(db.pool, roundId, sampled);
  await announceRoundChanged(db.pool, roundId);
  expect(await heardOf(roundId)).toEqual([`${roundId} ${sampled.join(' ')}`, roundId, roundId]);
});
