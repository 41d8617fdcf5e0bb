import { randomBytes, randomUUID } from 'node:crypto';
import {
  type BallotToCast,
  castBallots,
  castOrReplaceBallot,
  createPool,
  insertRound,
  type Pool,
} from '@voting/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

/**
 * The rule behind "no vote is committed after its request was answered with an error"
 * (docs/architecture.md, "Timeouts and freezes"), made deterministic: the vote's statement is
 * held on the server (a lock another session holds on its round) past the vote's deadline, so the
 * service answers 503; then the lock goes and the server completes the statement. It must not
 * commit: the client never sent the commit, and its connection is gone.
 */

let db: TestDatabase;
let pool: Pool;

beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPool({ connectionString: db.url, max: 4 });
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

async function newRound(allowRevote: boolean): Promise<string> {
  const roundId = randomUUID();
  await insertRound(db.pool, {
    roundId,
    name: 'deadline',
    method: 'plurality',
    minChoices: null,
    maxChoices: null,
    allowRevote,
    resultsVisibility: 'live',
    publicBallots: false,
    adminTokenHash: randomBytes(32),
    closesAt: null,
    labels: ['A', 'B'],
  });
  return roundId;
}

/** Holds the round's row lock (as a close would) for `ms`, on a connection of its own. */
async function holdRound(roundId: string, ms: number): Promise<void> {
  const client = await db.pool.connect();
  await client.query('BEGIN');
  await client.query('SELECT 1 FROM rounds WHERE round_id = $1 FOR UPDATE', [roundId]);
  setTimeout(() => {
    void client.query('ROLLBACK').finally(() => client.release());
  }, ms);
}

const stored = async (roundId: string, voterKey: Buffer) =>
  (
    await db.pool.query('SELECT receipt FROM ballots WHERE round_id = $1 AND voter_key = $2', [
      roundId,
      voterKey,
    ])
  ).rowCount;

const changes = async (roundId: string) =>
  (await db.pool.query('SELECT 1 FROM ballot_changes WHERE round_id = $1', [roundId])).rowCount;

describe('a vote given up on before its commit', () => {
  it('is rolled back, even though the server completes its statement afterwards (group commit)', async () => {
    const roundId = await newRound(false);
    await holdRound(roundId, 1000);
    const ballot: BallotToCast = {
      roundId,
      voterKey: randomBytes(32),
      choices: [1],
      deadline: Date.now() + 200,
    };
    const started = Date.now();
    await expect(castBallots(pool, [ballot])).rejects.toMatchObject({
      statusCode: 503,
      code: 'database_unavailable',
    });
    // It gave up at its deadline, not when the lock went (1 s): the answer came before the lock.
    expect(Date.now() - started).toBeLessThan(1000);
    // The lock goes at 1 s; the server then runs the statement to its end, and rolls it back.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await stored(roundId, ballot.voterKey)).toBe(0);
    expect(await changes(roundId)).toBe(0);
    // The pool is fine: the next vote goes through.
    const next = await castBallots(pool, [{ roundId, voterKey: randomBytes(32), choices: [2] }]);
    expect(next[0]?.outcome).toBe('accepted');
  });

  it('is rolled back too when it is a revote (BEGIN … COMMIT)', async () => {
    const roundId = await newRound(true);
    const voterKey = randomBytes(32);
    const first = await castOrReplaceBallot(pool, { roundId, voterKey, choices: [1] });
    expect(first.outcome).toBe('accepted');
    await holdRound(roundId, 1000);
    await expect(
      castOrReplaceBallot(pool, { roundId, voterKey, choices: [2], deadline: Date.now() + 200 }),
    ).rejects.toMatchObject({ statusCode: 503, code: 'database_unavailable' });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const row = await db.pool.query<{ choices: number[]; receipt: string }>(
      'SELECT choices, receipt FROM ballots WHERE round_id = $1 AND voter_key = $2',
      [roundId, voterKey],
    );
    expect(row.rows).toEqual([
      { choices: [1], receipt: first.outcome === 'accepted' ? first.receipt : '' },
    ]);
  });

  it('answers a statement the server itself timed out 503, and keeps the connection', async () => {
    const roundId = await newRound(false);
    const short = createPool({
      connectionString: db.url,
      max: 1,
      timeouts: { statementTimeoutMs: 200 },
    });
    try {
      await holdRound(roundId, 1000);
      await expect(
        castBallots(short, [{ roundId, voterKey: randomBytes(32), choices: [1] }]),
      ).rejects.toMatchObject({ statusCode: 503, code: 'database_unavailable' });
      await new Promise((resolve) => setTimeout(resolve, 1200));
      const again = await castBallots(short, [
        { roundId, voterKey: randomBytes(32), choices: [1] },
      ]);
      expect(again[0]?.outcome).toBe('accepted');
      expect(short.totalCount).toBe(1);
    } finally {
      await short.end();
    }
  });
});
