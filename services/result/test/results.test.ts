import { randomUUID } from 'node:crypto';
import type { HttpApp } from '@voting/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, testResultApp, testVoteApp, testWorkerApp } from '../../../test/support/apps.ts';
import { castBallot, closeRoundAsAdmin, createRound } from '../../../test/support/ballots.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import type { WorkerApp } from '../../worker/src/app.ts';

const OPERATOR_KEY = 'operator-key-0123456789abcdef';

let db: TestDatabase;
let vote: HttpApp;
let result: HttpApp;
let worker: WorkerApp;

beforeAll(async () => {
  db = await createTestDatabase();
  vote = await testVoteApp(db.url, db.pool);
  result = await testResultApp(db.url, db.pool, { ADMIN_API_KEY: OPERATOR_KEY });
  worker = await testWorkerApp(db.url, db.pool);
});
afterAll(async () => {
  await worker.app.close();
  await result.close();
  await vote.close();
  await db.drop();
});

const resultsList = (roundId: string, headers = {}) =>
  getJson(result, `/rounds/${roundId}/results`, headers);
const full = (roundId: string, headers = {}) => getJson(result, `/rounds/${roundId}`, headers);

describe('GET /rounds/:id/results (seed shape)', () => {
  it('lists every option, most votes first, ties in option order — the same before and after aggregation', async () => {
    const round = await createRound(vote, { options: ['Red', 'Green', 'Blue', 'Yellow', 'Pink'] });
    const empty = await resultsList(round.round_id);
    expect(empty).toEqual({
      status: 200,
      body: [
        { option_id: 1, label: 'Red', votes: 0 },
        { option_id: 2, label: 'Green', votes: 0 },
        { option_id: 3, label: 'Blue', votes: 0 },
        { option_id: 4, label: 'Yellow', votes: 0 },
        { option_id: 5, label: 'Pink', votes: 0 },
      ],
    });
    const expected = [
      { option_id: 3, label: 'Blue', votes: 3 },
      { option_id: 2, label: 'Green', votes: 2 },
      { option_id: 5, label: 'Pink', votes: 2 },
      { option_id: 1, label: 'Red', votes: 1 },
      { option_id: 4, label: 'Yellow', votes: 0 },
    ];
    // Some ballots aggregated by the worker, the rest still pending: the sum is what counts.
    for (const option of [3, 5, 2]) await castBallot(vote, 'plurality', round.round_id, [option]);
    await worker.loop.runOnce();
    for (const option of [1, 3, 5, 3, 2])
      await castBallot(vote, 'plurality', round.round_id, [option]);
    expect(await resultsList(round.round_id)).toEqual({ status: 200, body: expected });
    await worker.loop.runOnce();
    expect(await resultsList(round.round_id)).toEqual({ status: 200, body: expected });
    // The vote service answers the same body.
    expect((await getJson(vote, `/rounds/${round.round_id}/results`)).body).toEqual(expected);
  });
});

describe('GET /rounds/:id (full result)', () => {
  it('gives totals, shares, as_of and final for an approval round', async () => {
    const round = await createRound(vote, { method: 'approval', options: ['A', 'B', 'C'] });
    await castBallot(vote, 'approval', round.round_id, [1, 2]);
    await castBallot(vote, 'approval', round.round_id, [2]);
    await castBallot(vote, 'approval', round.round_id, [2, 3]);
    await worker.loop.runOnce();
    await castBallot(vote, 'approval', round.round_id, [1, 2, 3]);
    const before = Date.now();
    const { status, body } = await full(round.round_id);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      round_id: round.round_id,
      method: 'approval',
      status: 'open',
      total_ballots: 4,
      final: false,
      results: [
        { option_id: 2, label: 'B', votes: 4, share: 1 },
        { option_id: 1, label: 'A', votes: 2, share: 0.5 },
        { option_id: 3, label: 'C', votes: 2, share: 0.5 },
      ],
    });
    expect(body).not.toHaveProperty('admin_token');
    expect(body).not.toHaveProperty('tabulation');
    // as_of is the database's moment of the read: now, to within clock noise.
    expect(Math.abs(Date.parse(body.as_of) - before)).toBeLessThan(2000);
    const later = await full(round.round_id);
    expect(Date.parse(later.body.as_of)).toBeGreaterThanOrEqual(Date.parse(body.as_of));

    await closeRoundAsAdmin(vote, round);
    expect((await full(round.round_id)).body).toMatchObject({ status: 'closed', final: false });
    await worker.loop.runOnce();
    expect((await full(round.round_id)).body).toMatchObject({
      status: 'closed',
      final: true,
      total_ballots: 4,
    });
  });

  it('gives share 0 to every option of a round without ballots', async () => {
    const round = await createRound(vote);
    const { body } = await full(round.round_id);
    expect(body.total_ballots).toBe(0);
    expect(body.results.map((row: { share: number }) => row.share)).toEqual([0, 0, 0]);
  });
});

describe('results: "after_close"', () => {
  it('refuses the public with 403 results_hidden before close, shows the admin, and everyone after', async () => {
    const round = await createRound(vote, { results: 'after_close' });
    await castBallot(vote, 'plurality', round.round_id, [2]);
    const hidden = { status: 403, body: { error: 'results_hidden', message: expect.any(String) } };
    for (const read of [resultsList, full]) {
      expect(await read(round.round_id)).toEqual(hidden);
      expect(await read(round.round_id, { authorization: 'Bearer wrong-token' })).toEqual(hidden);
      const other = await createRound(vote);
      expect(await read(round.round_id, { authorization: `Bearer ${other.admin_token}` })).toEqual(
        hidden,
      );
    }
    // The vote service hides them the same way.
    expect(await getJson(vote, `/rounds/${round.round_id}/results`)).toEqual(hidden);

    const admin = { authorization: `Bearer ${round.admin_token}` };
    expect((await resultsList(round.round_id, admin)).body).toEqual([
      { option_id: 2, label: 'Green', votes: 1 },
      { option_id: 1, label: 'Red', votes: 0 },
      { option_id: 3, label: 'Blue', votes: 0 },
    ]);
    expect((await full(round.round_id, admin)).body.total_ballots).toBe(1);
    const operator = { authorization: `Bearer ${OPERATOR_KEY}` };
    expect((await full(round.round_id, operator)).status).toBe(200);

    await closeRoundAsAdmin(vote, round);
    expect((await resultsList(round.round_id)).status).toBe(200);
    expect((await full(round.round_id)).body).toMatchObject({ status: 'closed', total_ballots: 1 });
  });

  it('shows the results to all once the deadline has passed, before any worker closes the round', async () => {
    const round = await createRound(vote, {
      results: 'after_close',
      closes_at: new Date(Date.now() + 300).toISOString(),
    });
    await castBallot(vote, 'plurality', round.round_id, [1]);
    expect((await resultsList(round.round_id)).status).toBe(403);
    // Deliberately lets the deadline pass: nothing is waited for, the clock is.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await resultsList(round.round_id)).body[0]).toEqual({
      option_id: 1,
      label: 'Red',
      votes: 1,
    });
  });
});

describe('errors', () => {
  it.each(['/rounds/%s', '/rounds/%s/results'])(
    '%s: 404 for an unknown round, 400 for a malformed id',
    async (path) => {
      const unknown = await getJson(result, path.replace('%s', randomUUID()));
      expect(unknown).toEqual({
        status: 404,
        body: { error: 'round_not_found', message: expect.any(String) },
      });
      for (const bad of ['nope', '123', `${randomUUID()}x`, "1' OR '1'='1"]) {
        const malformed = await getJson(result, path.replace('%s', encodeURIComponent(bad)));
        expect(malformed.status).toBe(400);
        expect(malformed.body).toEqual({ error: 'invalid_request', message: expect.any(String) });
      }
    },
  );
});
