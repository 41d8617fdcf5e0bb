/**
 * A round's lifecycle after creation (issue 14, item 1): edit (PATCH), schedule (opens_at),
 * extend or shorten the deadline, duplicate, delete. Each change is tested against concurrent
 * ballots, in the style of the close race of vote.test.ts (invariant 4): the change and the
 * ballots serialize on the round's row, so every ballot is either before the change (and the
 * change sees it) or after it (and sees the change).
 */
import { randomUUID } from 'node:crypto';
import type { HttpApp } from '@voting/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, postJson, testVoteApp, testWorkerApp } from '../../../test/support/apps.ts';
import { type CreatedRound, createRound } from '../../../test/support/ballots.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';

let db: TestDatabase;
let app: HttpApp;
/** A second vote replica: its round cache is not told about the first one's edits. */
let other: HttpApp;
let worker: Awaited<ReturnType<typeof testWorkerApp>>;

beforeAll(async () => {
  db = await createTestDatabase();
  app = await testVoteApp(db.url, db.pool);
  other = await testVoteApp(db.url, db.pool);
  worker = await testWorkerApp(db.url, db.pool);
});
afterAll(async () => {
  await worker.app.close();
  await other.close();
  await app.close();
  await db.drop();
});

const admin = (round: CreatedRound) => ({ authorization: `Bearer ${round.admin_token}` });

async function send(
  method: 'PATCH' | 'DELETE' | 'POST' | 'GET',
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
  on: HttpApp = app,
) {
  const response = await on.inject({
    method,
    url,
    headers,
    ...(body === undefined ? {} : { payload: body as object }),
  });
  return {
    status: response.statusCode,
    body: response.body ? response.json() : undefined,
  };
}

const patch = (
  round: CreatedRound,
  body: unknown,
  headers: Record<string, string> = admin(round),
) => send('PATCH', `/rounds/${round.round_id}`, body, headers);

const vote = (roundId: string, optionId: number, voterId?: string, on: HttpApp = app) =>
  postJson(
    on,
    '/vote',
    { round_id: roundId, option_id: optionId },
    voterId ? { 'x-voter-id': voterId } : {},
  );

const inFuture = (ms: number) => new Date(Date.now() + ms).toISOString();

const countOf = async (table: string, roundId: string) =>
  (
    await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${table} WHERE round_id = $1`,
      [roundId],
    )
  ).rows[0]?.n;

type Outcome = { sentAt: number; answeredAt: number; status: number; error?: string };

/** Sends `count` ballots in waves of 50, calling `during` once, after wave `at`. */
async function ballotsAround(
  roundId: string,
  count: number,
  at: number,
  during: () => Promise<unknown>,
  prefix: string,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const castOne = async (i: number) => {
    const sentAt = performance.now();
    const answer = await vote(roundId, (i % 3) + 1, `${prefix}-${i}`);
    outcomes.push({
      sentAt,
      answeredAt: performance.now(),
      status: answer.status,
      error: answer.body.error,
    });
  };
  const all: Promise<unknown>[] = [];
  for (let wave = 0; wave * 50 < count; wave++) {
    all.push(
      ...Array.from({ length: Math.min(50, count - wave * 50) }, (_, j) => castOne(wave * 50 + j)),
    );
    if (wave === at) all.push(during());
    // Deliberate pacing between waves, so the change lands among ballots still being sent.
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await Promise.all(all);
  return outcomes;
}

describe('PATCH /rounds/:id', () => {
  it('edits the name and labels until the first ballot, then answers 409 round_has_ballots', async () => {
    const round = await createRound(app, { name: 'Lunch', options: ['Pizza', 'Sushi', 'Tacos'] });
    // The other replica caches the round before the edit.
    expect((await getJson(other, `/rounds/${round.round_id}`)).body.name).toBe('Lunch');

    // Swapping two labels is fine (options are replaced whole, so the unique key is not hit).
    const edited = await patch(round, { name: ' Dinner ', options: ['Sushi', 'Pizza', 'Curry'] });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      name: 'Dinner',
      options: [
        { option_id: 1, label: 'Sushi' },
        { option_id: 2, label: 'Pizza' },
        { option_id: 3, label: 'Curry' },
      ],
    });
    // Both replicas show the edit: the other one reloads its cached definition.
    for (const replica of [app, other]) {
      const full = (await getJson(replica, `/rounds/${round.round_id}`)).body;
      expect(full.name).toBe('Dinner');
      expect(full.results.map((row: { label: string }) => row.label).sort()).toEqual([
        'Curry',
        'Pizza',
        'Sushi',
      ]);
      const definition = (await getJson(replica, `/rounds/${round.round_id}/definition`)).body;
      expect(definition.options[0].label).toBe('Sushi');
    }

    expect((await vote(round.round_id, 1, 'first')).status).toBe(200);
    const late = await patch(round, { name: 'Too late' });
    expect(late).toMatchObject({ status: 409, body: { error: 'round_has_ballots' } });
    const lateLabels = await patch(round, { options: ['a', 'b', 'c'] });
    expect(lateLabels.body.error).toBe('round_has_ballots');
    // The deadline may still move while the round is open.
    const extended = await patch(round, { closes_at: inFuture(60_000) });
    expect(extended.status).toBe(200);
    expect(extended.body.name).toBe('Dinner');
  });

  it('refuses bad input with 400 and strangers with 401/403, leaving the round as it was', async () => {
    const round = await createRound(app, { name: 'Kept', options: ['x', 'y'] });
    const refused: [unknown, number, string][] = [
      [{}, 400, 'invalid_request'],
      [{ opions: ['a', 'b'] }, 400, 'invalid_request'],
      [{ options: ['a', 'b', 'c'] }, 400, 'invalid_round'],
      [{ options: ['a', 'A '] }, 400, 'invalid_round'],
      [{ name: '\u200b ' }, 400, 'invalid_round'],
      [{ name: 'bad\u0000' }, 400, 'invalid_round'],
      [{ closes_at: new Date(Date.now() - 1000).toISOString() }, 400, 'invalid_round'],
      [{ closes_at: 'tomorrow' }, 400, 'invalid_request'],
    ];
    for (const [body, status, error] of refused) {
      const answer = await patch(round, body);
      expect({ body, status: answer.status, error: answer.body.error }).toEqual({
        body,
        status,
        error,
      });
    }
    expect((await patch(round, { name: 'x' }, {})).status).toBe(401);
    expect((await patch(round, { name: 'x' }, { authorization: 'Bearer wrong' })).status).toBe(403);
    const unknown = await send('PATCH', `/rounds/${randomUUID()}`, { name: 'x' }, admin(round));
    expect(unknown).toMatchObject({ status: 404, body: { error: 'round_not_found' } });
    const full = (await getJson(app, `/rounds/${round.round_id}`)).body;
    expect(full).toMatchObject({ name: 'Kept', closes_at: null, opens_at: null });

    // A scheduled round: its start must stay before its deadline.
    const opensAt = inFuture(30_000);
    const scheduled = await createRound(app, { opens_at: opensAt });
    for (const body of [
      { opens_at: inFuture(120_000), closes_at: inFuture(60_000) },
      { closes_at: inFuture(10_000) },
    ]) {
      const answer = await patch(scheduled, body);
      expect(answer).toMatchObject({ status: 400, body: { error: 'invalid_round' } });
    }
    const kept = (await getJson(app, `/rounds/${scheduled.round_id}/definition`)).body;
    expect(kept).toMatchObject({ status: 'scheduled', opens_at: opensAt, closes_at: null });
  });

  it('waits for a ballot holding the round, then refuses the edit (serialized on the row)', async () => {
    const round = await createRound(app, { options: ['a', 'b'] });
    // A vote transaction as the cast statement holds it: the round FOR SHARE, the ballot written,
    // not yet committed.
    const voter = await db.pool.connect();
    try {
      await voter.query('BEGIN');
      await voter.query('SELECT 1 FROM rounds WHERE round_id = $1 FOR SHARE', [round.round_id]);
      await voter.query(
        `INSERT INTO ballots (round_id, voter_key, receipt, choices)
         VALUES ($1, '\\x01', gen_random_uuid(), '{1}')`,
        [round.round_id],
      );
      let answered = false;
      const edit = patch(round, { name: 'renamed' }).then((answer) => {
        answered = true;
        return answer;
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(answered).toBe(false);
      await voter.query('COMMIT');
      expect(await edit).toMatchObject({ status: 409, body: { error: 'round_has_ballots' } });
    } finally {
      voter.release();
    }
  });

  it('races 300 first ballots: the edit lands only if no ballot was accepted before it', async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const round = await createRound(app, { options: ['a', 'b', 'c'] });
      let edit: { status: number; body: { error?: string } } | undefined;
      let editSentAt = 0;
      const outcomes = await ballotsAround(
        round.round_id,
        300,
        attempt, // the edit goes out with the first, second or third wave
        async () => {
          editSentAt = performance.now();
          edit = await patch(round, { options: ['x', 'y', 'z'] });
        },
        `edit-${attempt}`,
      );
      expect(edit?.status === 200 || edit?.body.error === 'round_has_ballots').toBe(true);
      const accepted = outcomes.filter((o) => o.status === 200);
      expect(accepted).toHaveLength(300);
      const labels = (await getJson(app, `/rounds/${round.round_id}/definition`)).body.options.map(
        (option: { label: string }) => option.label,
      );
      if (edit?.status === 200) {
        // No ballot was acknowledged before the edit was sent: it would have been seen.
        expect(accepted.every((o) => o.answeredAt > editSentAt)).toBe(true);
        expect(labels).toEqual(['x', 'y', 'z']);
      } else {
        expect(labels).toEqual(['a', 'b', 'c']);
      }
      expect(await countOf('ballots', round.round_id)).toBe(300);
    }
  });
});

describe('the deadline, moved while ballots arrive', () => {
  it('shortened among 500 ballots: every ballot before the new deadline counts, none after', async () => {
    const round = await createRound(app, { closes_at: inFuture(60_000) });
    let newDeadline = Number.POSITIVE_INFINITY;
    let wallAtPerf = 0;
    const outcomes = await ballotsAround(
      round.round_id,
      500,
      3,
      async () => {
        const deadline = Date.now() + 150;
        wallAtPerf = Date.now() - performance.now();
        const answer = await patch(round, { closes_at: new Date(deadline).toISOString() });
        expect(answer.status).toBe(200);
        newDeadline = deadline;
      },
      'shorten',
    );
    // Let the worker close it at its (new) deadline meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await worker.loop.runOnce();
    const accepted = outcomes.filter((o) => o.status === 200);
    const refused = outcomes.filter((o) => o.status !== 200);
    expect(refused.every((o) => o.status === 409 && o.error === 'round_closed')).toBe(true);
    expect(accepted.length + refused.length).toBe(500);
    // Clocks: the database's now() and this process's Date.now() are the same machine's.
    for (const o of outcomes.filter((o) => o.sentAt + wallAtPerf > newDeadline + 50))
      expect(o.status).toBe(409);
    for (const o of outcomes.filter((o) => o.answeredAt + wallAtPerf < newDeadline - 50))
      expect(o.status).toBe(200);
    const full = (await getJson(app, `/rounds/${round.round_id}`)).body;
    expect(full.status).toBe('closed');
    expect(full.total_ballots).toBe(accepted.length);
    expect(await countOf('ballots', round.round_id)).toBe(accepted.length);
    const late = await patch(round, { closes_at: inFuture(60_000) });
    expect(late).toMatchObject({ status: 409, body: { error: 'round_closed' } });
  });

  it('extended against the worker: an extended round is never closed at its old deadline', async () => {
    const oldDeadline = Date.now() + 700;
    const round = await createRound(app, { closes_at: new Date(oldDeadline).toISOString() });
    // Workers step continuously while the admin extends shortly before the old deadline.
    let stepping = true;
    const steps = (async () => {
      while (stepping) {
        await worker.loop.runOnce();
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const extended = await patch(round, { closes_at: inFuture(60_000) });
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, oldDeadline - Date.now()) + 200),
    );
    stepping = false;
    await steps;
    if (extended.status === 200) {
      // The worker's close re-checked the deadline under the row lock: not due any more.
      expect((await vote(round.round_id, 1, 'after-old-deadline')).status).toBe(200);
      expect((await getJson(app, `/rounds/${round.round_id}`)).body.status).toBe('open');
    } else {
      // Only if this machine was too slow to send the extension in time.
      expect(extended.body.error).toBe('round_closed');
    }
    expect(extended.status).toBe(200);
  });

  it('a deadline already passed cannot be moved, even before the worker closed it', async () => {
    const round = await createRound(app, { closes_at: inFuture(300) });
    await new Promise((resolve) => setTimeout(resolve, 400));
    const answer = await patch(round, { closes_at: inFuture(60_000) });
    expect(answer).toMatchObject({ status: 409, body: { error: 'round_closed' } });
    expect((await vote(round.round_id, 1)).body.error).toBe('round_closed');
  });

  it('a closed round refuses every edit; a close racing an extension serializes with it', async () => {
    const round = await createRound(app, { closes_at: inFuture(60_000) });
    const [extended, closed] = await Promise.all([
      patch(round, { closes_at: inFuture(120_000) }),
      postJson(app, `/rounds/${round.round_id}/close`, {}, admin(round)),
    ]);
    expect(closed.status).toBe(200);
    expect([200, 409]).toContain(extended.status);
    const full = (await getJson(app, `/rounds/${round.round_id}`)).body;
    expect(full.status).toBe('closed');
    expect((await patch(round, { name: 'x' })).body.error).toBe('round_closed');
  });
});

describe('opens_at: a scheduled start', () => {
  it('refuses ballots before it with 409 round_not_open, on both write paths', async () => {
    for (const allow_revote of [false, true]) {
      const round = await createRound(app, { opens_at: inFuture(60_000), allow_revote });
      const definition = (await getJson(app, `/rounds/${round.round_id}/definition`)).body;
      expect(definition).toMatchObject({ status: 'scheduled', closed_at: null });
      const early = await vote(round.round_id, 1, 'early');
      expect(early).toMatchObject({ status: 409, body: { error: 'round_not_open' } });
      // Moved to "now" by its admin (null: open at once), the round takes ballots.
      const opened = await patch(round, { opens_at: null });
      expect(opened.body).toMatchObject({ status: 'open', opens_at: null });
      expect((await vote(round.round_id, 1, 'early')).status).toBe(200);
      // Once started, the start is history.
      const moved = await patch(round, { opens_at: inFuture(60_000) });
      expect(moved).toMatchObject({ status: 409, body: { error: 'round_started' } });
      expect(await countOf('ballots', round.round_id)).toBe(1);
    }
  });

  it('opens at its start among 300 ballots: none before it is taken, every one after it is', async () => {
    const opensAt = Date.now() + 400;
    const round = await createRound(app, { opens_at: new Date(opensAt).toISOString() });
    const wallAtPerf = Date.now() - performance.now();
    const outcomes: Outcome[] = [];
    const all: Promise<void>[] = [];
    for (let i = 0; i < 300; i++) {
      all.push(
        (async () => {
          const sentAt = performance.now();
          const answer = await vote(round.round_id, 1, `start-${i}`);
          outcomes.push({
            sentAt,
            answeredAt: performance.now(),
            status: answer.status,
            error: answer.body.error,
          });
        })(),
      );
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
    await Promise.all(all);
    const accepted = outcomes.filter((o) => o.status === 200);
    const refused = outcomes.filter((o) => o.status !== 200);
    expect(refused.every((o) => o.error === 'round_not_open')).toBe(true);
    for (const o of accepted)
      expect(o.answeredAt + wallAtPerf).toBeGreaterThanOrEqual(opensAt - 50);
    for (const o of refused) expect(o.sentAt + wallAtPerf).toBeLessThanOrEqual(opensAt + 50);
    const early = await db.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM ballots b JOIN rounds r USING (round_id) WHERE round_id = $1 AND b.cast_at < r.opens_at',
      [round.round_id],
    );
    expect(early.rows[0]?.n).toBe(0);
    expect(await countOf('ballots', round.round_id)).toBe(accepted.length);
  });

  it('is refused in the past or at or after the deadline', async () => {
    for (const body of [
      { opens_at: new Date(Date.now() - 1000).toISOString() },
      { opens_at: inFuture(60_000), closes_at: inFuture(30_000) },
    ]) {
      const answer = await postJson(app, '/rounds', body);
      expect(answer).toMatchObject({ status: 400, body: { error: 'invalid_round' } });
    }
  });
});

describe('POST /rounds/:id/duplicate', () => {
  it('makes a new round with the same settings, a new id and token, and no ballots', async () => {
    const round = await createRound(app, {
      name: 'Board',
      method: 'approval',
      options: ['a', 'b', 'c'],
      max_choices: 2,
      allow_revote: true,
      results: 'after_close',
      listed: true,
      closes_at: inFuture(60_000),
    });
    await postJson(app, '/vote', { round_id: round.round_id, option_ids: [1] });
    const copy = await send('POST', `/rounds/${round.round_id}/duplicate`, undefined, admin(round));
    expect(copy.status).toBe(201);
    expect(copy.body.round_id).not.toBe(round.round_id);
    expect(copy.body.admin_token).toEqual(expect.any(String));
    expect(copy.body.admin_token).not.toBe(round.admin_token);
    // A copy gets a join code of its own (services/vote/test/join-codes.test.ts).
    const { round_id: _a, created_at: _b, admin_token: _c, join_code: _f, ...settings } = copy.body;
    const original = (await getJson(app, `/rounds/${round.round_id}/definition`)).body;
    const { round_id: _d, created_at: _e, join_code: _g, ...originalSettings } = original;
    expect(settings).toEqual(originalSettings);
    expect(await countOf('ballots', copy.body.round_id)).toBe(0);
    // The copy has its own admin: the original's token does not close it.
    const closeCopy = await postJson(app, `/rounds/${copy.body.round_id}/close`, {}, admin(round));
    expect(closeCopy.status).toBe(403);

    expect((await send('POST', `/rounds/${round.round_id}/duplicate`)).status).toBe(401);
    const unknown = await send(
      'POST',
      `/rounds/${randomUUID()}/duplicate`,
      undefined,
      admin(round),
    );
    expect(unknown.status).toBe(404);
  });

  it('does not copy a deadline already past', async () => {
    const round = await createRound(app, { closes_at: inFuture(200) });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const copy = await send('POST', `/rounds/${round.round_id}/duplicate`, undefined, admin(round));
    expect(copy.body).toMatchObject({ status: 'open', closes_at: null });
  });
});

describe('DELETE /rounds/:id', () => {
  it('races 500 ballots and a worker: each ballot is committed before and deleted with it, or 404', async () => {
    const round = await createRound(app, { options: ['a', 'b', 'c'] });
    await postJson(app, `/rounds/${round.round_id}/close`, {}, {}); // 401, nothing changes
    // One ballot surely before the delete, whatever the race below does: it must go with it.
    expect((await vote(round.round_id, 1, 'before-delete')).status).toBe(200);
    let deleteAnsweredAt = Number.POSITIVE_INFINITY;
    let stepping = true;
    const steps = (async () => {
      while (stepping) {
        await worker.loop.runOnce();
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const outcomes = await ballotsAround(
      round.round_id,
      500,
      5,
      async () => {
        const answer = await send('DELETE', `/rounds/${round.round_id}`, undefined, admin(round));
        expect(answer.status).toBe(204);
        deleteAnsweredAt = performance.now();
      },
      'delete',
    );
    stepping = false;
    await steps;
    const accepted = outcomes.filter((o) => o.status === 200);
    const refused = outcomes.filter((o) => o.status !== 200);
    expect(refused.every((o) => o.status === 404 && o.error === 'round_not_found')).toBe(true);
    for (const o of outcomes.filter((o) => o.sentAt > deleteAnsweredAt)) expect(o.status).toBe(404);
    // Which of the raced ballots landed before the delete is the race's to decide (on a busy
    // machine, all of them may); ballots sent once it was answered are all refused.
    const after = await Promise.all(
      Array.from({ length: 10 }, (_, i) => vote(round.round_id, 1, `after-delete-${i}`)),
    );
    expect(after.map((answer) => answer.status)).toEqual(Array(10).fill(404));
    expect(accepted.length + refused.length).toBe(500);

    for (const table of [
      'rounds',
      'options',
      'ballots',
      'ballot_changes',
      'piles',
      'option_tallies',
      'round_totals',
      'round_results',
      'invitations',
      'voter_rolls',
    ])
      expect({ table, rows: await countOf(table, round.round_id) }).toEqual({ table, rows: 0 });
  });

  it('answers 404 afterwards on every route, on this replica and another that had it cached', async () => {
    const round = await createRound(app, { voters: 'invited', public_ballots: true });
    const issued = await postJson(
      app,
      `/rounds/${round.round_id}/invitations`,
      { count: 1 },
      admin(round),
    );
    expect(issued.status).toBe(201);
    const code = issued.body.invitations[0].code;
    const cast = await postJson(
      app,
      '/vote',
      { round_id: round.round_id, option_id: 1 },
      { 'x-invitation-code': code },
    );
    expect(cast.status).toBe(200);
    await worker.loop.runOnce();
    expect((await getJson(other, `/rounds/${round.round_id}`)).status).toBe(200);

    expect((await send('DELETE', `/rounds/${round.round_id}`)).status).toBe(401);
    const stranger = { authorization: 'Bearer wrong' };
    expect((await send('DELETE', `/rounds/${round.round_id}`, undefined, stranger)).status).toBe(
      403,
    );
    expect(
      (await send('DELETE', `/rounds/${round.round_id}`, undefined, admin(round))).status,
    ).toBe(204);

    const id = round.round_id;
    for (const replica of [app, other]) {
      const answers = [
        await send('GET', `/rounds/${id}`, undefined, {}, replica),
        await send('GET', `/rounds/${id}/results`, undefined, {}, replica),
        await send('GET', `/rounds/${id}/definition`, undefined, {}, replica),
        await send('GET', `/rounds/${id}/ballots`, undefined, admin(round), replica),
        await send('GET', `/rounds/${id}/receipts/${cast.body.receipt}`, undefined, {}, replica),
        await send('GET', `/rounds/${id}/invitations`, undefined, admin(round), replica),
        await send('POST', `/rounds/${id}/invitations`, { count: 1 }, admin(round), replica),
        await send(
          'DELETE',
          `/rounds/${id}/invitations/${issued.body.invitations[0].invitation_id}`,
          undefined,
          admin(round),
          replica,
        ),
        await send('POST', `/rounds/${id}/close`, undefined, admin(round), replica),
        await send('POST', `/rounds/${id}/duplicate`, undefined, admin(round), replica),
        await send('PATCH', `/rounds/${id}`, { name: 'x' }, admin(round), replica),
        await send('DELETE', `/rounds/${id}`, undefined, admin(round), replica),
        await send(
          'POST',
          '/vote',
          { round_id: id, option_id: 1 },
          { 'x-invitation-code': code },
          replica,
        ),
      ];
      for (const [i, answer] of answers.entries())
        expect({ i, status: answer.status, error: answer.body?.error }).toEqual({
          i,
          status: 404,
          error: 'round_not_found',
        });
    }
  });
});
