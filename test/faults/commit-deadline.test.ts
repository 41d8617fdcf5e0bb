import { randomBytes } from 'node:crypto';
import {
  type BallotToCast,
  castBallots,
  castOrReplaceBallot,
  createPool,
  insertRound,
  inTransaction,
  type Pool,
} from '@voting/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommitHoldingProxy } from '../support/commit-holding-proxy.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { newRoundFields } from '../support/rounds.ts';
import { hostAndPort, throughProxy } from '../support/tcp-proxy.ts';

/**
 * The rule behind "no vote is committed after its request was answered with an error"
 * (docs/architecture.md, "Timeouts and freezes"), made deterministic: the vote's statement is
 * held on the server (a lock another session holds on its round) past the vote's deadline, so the
 * service answers 503; then the lock goes and the server completes the statement. It must not
 * commit: the client never sent the commit, and its connection is gone.
 *
 * And its harder half: the commit message itself is held (a proxy plays a server frozen with it
 * in its socket) and delivered past the deadline, after the service answered. The server must
 * refuse that commit (migration 0005's `commit_by`).
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
  const round = newRoundFields({ name: 'deadline', allowRevote });
  await insertRound(db.pool, round);
  return round.roundId;
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
      timeouts: { statementTimeoutMs: 1000 },
    });
    try {
      await holdRound(roundId, 2000);
      await expect(
        castBallots(short, [{ roundId, voterKey: randomBytes(32), choices: [1] }]),
      ).rejects.toMatchObject({ statusCode: 503, code: 'database_unavailable' });
      await new Promise((resolve) => setTimeout(resolve, 2200));
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

describe('a vote whose commit reaches the server after its deadline', () => {
  let proxy: CommitHoldingProxy;
  let proxied: Pool;

  beforeAll(async () => {
    const { host, port } = hostAndPort(db.url);
    proxy = new CommitHoldingProxy(host, port);
    await proxy.start();
    proxied = createPool({ connectionString: throughProxy(db.url, proxy), max: 2 });
  });

  afterAll(async () => {
    await proxied?.end();
    await proxy?.close();
  });

  it('is not committed when the commit arrives after the answer (group commit)', async () => {
    const roundId = await newRound(false);
    const ballot: BallotToCast = {
      roundId,
      voterKey: randomBytes(32),
      choices: [1],
      deadline: Date.now() + 300,
    };
    const delivered = proxy.holdNextCommit(Date.now() + 1000);
    // The commit was sent, so the service cannot tell what became of it when it must answer.
    await expect(castBallots(proxied, [ballot])).rejects.toMatchObject({
      statusCode: 503,
      code: 'outcome_unknown',
    });
    await delivered;
    await new Promise((resolve) => setTimeout(resolve, 300)); // the server handles it
    expect(await stored(roundId, ballot.voterKey)).toBe(0);
    expect(await changes(roundId)).toBe(0);
    const next = await castBallots(proxied, [{ roundId, voterKey: randomBytes(32), choices: [2] }]);
    expect(next[0]?.outcome).toBe('accepted');
  });

  it('is not committed either when it is a revote (BEGIN … COMMIT)', async () => {
    const roundId = await newRound(true);
    const voterKey = randomBytes(32);
    const first = await castOrReplaceBallot(proxied, { roundId, voterKey, choices: [1] });
    expect(first.outcome).toBe('accepted');
    const delivered = proxy.holdNextCommit(Date.now() + 1000);
    await expect(
      castOrReplaceBallot(proxied, { roundId, voterKey, choices: [2], deadline: Date.now() + 300 }),
    ).rejects.toMatchObject({ statusCode: 503, code: 'outcome_unknown' });
    await delivered;
    await new Promise((resolve) => setTimeout(resolve, 300));
    const row = await db.pool.query<{ choices: number[] }>(
      'SELECT choices FROM ballots WHERE round_id = $1 AND voter_key = $2',
      [roundId, voterKey],
    );
    expect(row.rows).toEqual([{ choices: [1] }]);
  });

  it('is committed when the held commit still arrives in time', async () => {
    const roundId = await newRound(false);
    const ballot: BallotToCast = {
      roundId,
      voterKey: randomBytes(32),
      choices: [1],
      deadline: Date.now() + 3000,
    };
    void proxy.holdNextCommit(Date.now() + 300);
    const [outcome] = await castBallots(proxied, [ballot]);
    expect(outcome?.outcome).toBe('accepted');
    expect(await stored(roundId, ballot.voterKey)).toBe(1);
  });
});

describe('the commit-time deadline', () => {
  it('rolls back a transaction that reaches COMMIT past commit_by, answered 503 "not written"', async () => {
    const roundId = await newRound(false);
    await expect(
      inTransaction(db.pool, (client) =>
        client
          .query(
            `INSERT INTO ballot_changes (round_id, choices, delta, commit_by)
           VALUES ($1, '{1}', 1, clock_timestamp() + interval '50 milliseconds')`,
            [roundId],
          )
          .then(() => new Promise((resolve) => setTimeout(resolve, 200))),
      ),
    ).rejects.toMatchObject({ statusCode: 503, code: 'database_unavailable' });
    expect(await changes(roundId)).toBe(0);
  });
});
