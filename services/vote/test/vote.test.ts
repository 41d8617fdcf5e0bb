import { randomUUID } from 'node:crypto';
import type { HttpApp } from '@voting/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, postJson, testVoteApp } from '../../../test/support/apps.ts';
import { createRound } from '../../../test/support/ballots.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';

let db: TestDatabase;
let app: HttpApp;

beforeAll(async () => {
  db = await createTestDatabase();
  app = await testVoteApp(db.url, db.pool);
});
afterAll(async () => {
  await app.close();
  await db.drop();
});

const newRound = (settings: object = {}) => createRound(app, settings);

const vote = (roundId: string, optionId: number, voterId?: string) =>
  postJson(
    app,
    '/vote',
    { round_id: roundId, option_id: optionId },
    voterId ? { 'x-voter-id': voterId } : {},
  );

describe('POST /vote', () => {
  it('accepts a plurality ballot with a receipt, committed before the answer (invariant 1)', async () => {
    const round = await newRound();
    const { status, body } = await vote(round.round_id, 2, 'alice');
    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: true, round_id: round.round_id, replaced: false });
    // A different connection sees the ballot at once: it was committed before the 200.
    const other = await db.pool.connect();
    try {
      const stored = await other.query('SELECT choices, receipt FROM ballots WHERE round_id = $1', [
        round.round_id,
      ]);
      expect(stored.rows).toEqual([{ choices: [2], receipt: body.receipt }]);
    } finally {
      other.release();
    }
  });

  it('never stores the raw voter id', async () => {
    const round = await newRound();
    await vote(round.round_id, 1, 'bob@example.com');
    const stored = await db.pool.query('SELECT voter_key FROM ballots WHERE round_id = $1', [
      round.round_id,
    ]);
    expect(stored.rows[0].voter_key).toHaveLength(32);
    expect(stored.rows[0].voter_key.toString()).not.toContain('bob');
  });

  it('counts anonymous ballots separately and refuses a second ballot of one voter (invariant 2)', async () => {
    const round = await newRound();
    expect((await vote(round.round_id, 1)).status).toBe(200);
    expect((await vote(round.round_id, 1)).status).toBe(200);
    expect((await vote(round.round_id, 3, 'carol')).status).toBe(200);
    const again = await vote(round.round_id, 2, 'carol');
    expect(again).toMatchObject({ status: 409, body: { error: 'duplicate_vote' } });
    const results = await getJson(app, `/rounds/${round.round_id}/results`);
    expect(results.body).toEqual([
      { option_id: 1, label: 'Red', votes: 2 },
      { option_id: 3, label: 'Blue', votes: 1 },
      { option_id: 2, label: 'Green', votes: 0 },
    ]);
  });

  it('of 200 concurrent votes with one X-Voter-Id, accepts exactly one', async () => {
    const round = await newRound();
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => vote(round.round_id, (i % 3) + 1, 'same-voter')),
    );
    const accepted = answers.filter((answer) => answer.status === 200);
    expect(accepted).toHaveLength(1);
    expect(
      answers.filter((a) => a.status === 409 && a.body.error === 'duplicate_vote'),
    ).toHaveLength(199);
    const stored = await db.pool.query(
      'SELECT count(*)::int AS n FROM ballots WHERE round_id = $1',
      [round.round_id],
    );
    expect(stored.rows[0].n).toBe(1);
    const full = await getJson(app, `/rounds/${round.round_id}`);
    expect(full.body.total_ballots).toBe(1);
  });

  it('lets a voter replace a ballot where revoting is allowed, never counting two', async () => {
    const round = await newRound({ allow_revote: true });
    const first = await vote(round.round_id, 1, 'dave');
    const second = await vote(round.round_id, 3, 'dave');
    expect(second).toMatchObject({ status: 200, body: { replaced: true } });
    expect(second.body.receipt).not.toBe(first.body.receipt);
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => vote(round.round_id, (i % 3) + 1, 'erin')),
    );
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    const full = (await getJson(app, `/rounds/${round.round_id}`)).body;
    expect(full.total_ballots).toBe(2);
    const votes = full.results.reduce((sum: number, row: { votes: number }) => sum + row.votes, 0);
    expect(votes).toBe(2);
    expect(
      full.results.find((row: { option_id: number }) => row.option_id === 1).votes,
    ).toBeLessThanOrEqual(1);
  });

  it('sees its own vote in the results immediately, 1,000 times in a row (invariant 5)', async () => {
    const round = await newRound();
    for (let i = 1; i <= 1000; i++) {
      const optionId = (i % 3) + 1;
      expect((await vote(round.round_id, optionId)).status).toBe(200);
      const full = (await getJson(app, `/rounds/${round.round_id}`)).body;
      expect(full.total_ballots).toBe(i);
    }
  }, 60_000);

  it('answers unknown rounds and options with 404 and the seed codes', async () => {
    const round = await newRound();
    expect((await vote(randomUUID(), 1)).body).toMatchObject({ error: 'round_not_found' });
    expect((await vote(round.round_id, 9)).body).toMatchObject({ error: 'option_not_found' });
    expect((await vote(round.round_id, 9)).status).toBe(404);
  });

  it('refuses votes after close with 409 round_closed', async () => {
    const round = await newRound();
    await postJson(
      app,
      `/rounds/${round.round_id}/close`,
      {},
      { authorization: `Bearer ${round.admin_token}` },
    );
    expect(await vote(round.round_id, 1)).toMatchObject({
      status: 409,
      body: { error: 'round_closed' },
    });
  });

  it('refuses votes once the deadline has passed, before any worker closes the round', async () => {
    const round = await newRound({ closes_at: new Date(Date.now() + 300).toISOString() });
    expect((await vote(round.round_id, 1)).status).toBe(200);
    // Deliberately lets the deadline pass: nothing is waited for, the clock is.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await vote(round.round_id, 1)).toMatchObject({
      status: 409,
      body: { error: 'round_closed' },
    });
    expect((await getJson(app, `/rounds/${round.round_id}`)).body.status).toBe('closed');
  });
});

describe('close racing 500 concurrent votes (invariant 4)', () => {
  it('counts every vote acknowledged and refuses every vote sent after the close was acknowledged', async () => {
    const round = await newRound();
    type Outcome = {
      sentAt: number;
      answeredAt: number;
      status: number;
      error?: string;
      voter: string;
    };
    const outcomes: Outcome[] = [];
    let closeAnsweredAt = Number.POSITIVE_INFINITY;

    const castOne = async (i: number) => {
      const voter = `racer-${i}`;
      const sentAt = performance.now();
      const answer = await vote(round.round_id, (i % 3) + 1, voter);
      outcomes.push({
        sentAt,
        answeredAt: performance.now(),
        status: answer.status,
        error: answer.body.error,
        voter,
      });
    };
    // Votes go out in waves so some are in flight while the close is, and some come after it.
    const waves: Promise<void>[] = [];
    for (let wave = 0; wave < 10; wave++) {
      waves.push(...Array.from({ length: 50 }, (_, j) => castOne(wave * 50 + j)));
      if (wave === 5) {
        waves.push(
          postJson(
            app,
            `/rounds/${round.round_id}/close`,
            {},
            { authorization: `Bearer ${round.admin_token}` },
          ).then((answer) => {
            expect(answer.status).toBe(200);
            closeAnsweredAt = performance.now();
          }),
        );
      }
      // Deliberate pacing between waves, so the close lands among votes still being sent.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await Promise.all(waves);

    expect(outcomes).toHaveLength(500);
    const accepted = outcomes.filter((o) => o.status === 200);
    const refused = outcomes.filter((o) => o.status === 409);
    expect(accepted.length + refused.length).toBe(500);
    expect(refused.every((o) => o.error === 'round_closed')).toBe(true);
    expect(accepted.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    for (const late of outcomes.filter((o) => o.sentAt > closeAnsweredAt))
      expect(late.status).toBe(409);

    const full = (await getJson(app, `/rounds/${round.round_id}`)).body;
    expect(full.total_ballots).toBe(accepted.length);
    const stored = await db.pool.query(
      'SELECT count(*)::int AS n FROM ballots WHERE round_id = $1',
      [round.round_id],
    );
    expect(stored.rows[0].n).toBe(accepted.length);
  });
});
