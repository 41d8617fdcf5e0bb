import type { HttpApp } from '@voting/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, postJson, testVoteApp } from '../../../test/support/apps.ts';
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

describe('POST /rounds', () => {
  it('creates a round with the seed defaults and an admin token shown once', async () => {
    const { status, body } = await postJson(app, '/rounds', {});
    expect(status).toBe(201);
    expect(body.name).toMatch(/^Round \d{4}-\d\d-\d\dT/);
    expect(body.options).toEqual([
      { option_id: 1, label: 'A' },
      { option_id: 2, label: 'B' },
    ]);
    expect(body.method).toBe('plurality');
    expect(body.status).toBe('open');
    expect(body.admin_token).toMatch(/^[\w-]{43}$/);

    const read = await getJson(app, `/rounds/${body.round_id}`);
    expect(read.status).toBe(200);
    expect(read.body).not.toHaveProperty('admin_token');
    const stored = await db.pool.query('SELECT admin_token_hash FROM rounds WHERE round_id = $1', [
      body.round_id,
    ]);
    expect(stored.rows[0].admin_token_hash).toHaveLength(32);
    expect(stored.rows[0].admin_token_hash.toString('base64url')).not.toBe(body.admin_token);
  });

  it('keeps the given name, options in order, and settings', async () => {
    const closesAt = new Date(Date.now() + 3_600_000).toISOString();
    const { status, body } = await postJson(app, '/rounds', {
      name: 'Team lunch',
      options: ['Pizza', 'Sushi', 'Tacos'],
      method: 'approval',
      min_choices: 1,
      max_choices: 2,
      allow_revote: true,
      results: 'after_close',
      closes_at: closesAt,
    });
    expect(status).toBe(201);
    expect(body).toMatchObject({
      name: 'Team lunch',
      method: 'approval',
      min_choices: 1,
      max_choices: 2,
      allow_revote: true,
      results_visibility: 'after_close',
      closes_at: closesAt,
    });
    expect(body.options.map((o: { label: string }) => o.label)).toEqual([
      'Pizza',
      'Sushi',
      'Tacos',
    ]);
  });

  it.each([
    [{ options: ['only one'] }, 'invalid_request'],
    [{ options: Array.from({ length: 101 }, (_, i) => `o${i}`) }, 'invalid_request'],
    [{ options: ['same', 'same'] }, 'invalid_round'],
    [{ options: ['a', '  '] }, 'invalid_round'],
    [{ options: ['a', ''] }, 'invalid_request'],
    [{ options: ['a', 'x'.repeat(201)] }, 'invalid_request'],
    [{ options: ['a', 2] }, 'invalid_request'],
    [{ name: '' }, 'invalid_request'],
    [{ name: 'x'.repeat(201) }, 'invalid_request'],
    [{ name: 42 }, 'invalid_request'],
    [{ method: 'borda' }, 'invalid_request'],
    [{ closes_at: 'tomorrow' }, 'invalid_request'],
    [{ closes_at: '2001-01-01T00:00:00Z' }, 'invalid_round'],
    [{ min_choices: 2 }, 'invalid_round'],
    [{ method: 'approval', min_choices: 3 }, 'invalid_round'],
    [{ method: 'approval', options: ['a', 'b'], max_choices: 3 }, 'invalid_round'],
    [{ opions: ['typo'] }, 'invalid_request'],
  ])('refuses %j with 400 %s and stores nothing', async (payload, code) => {
    const before = await db.pool.query('SELECT count(*)::int AS n FROM rounds');
    const { status, body } = await postJson(app, '/rounds', payload);
    expect(status).toBe(400);
    expect(body.error).toBe(code);
    expect(body.message).toEqual(expect.any(String));
    const after = await db.pool.query('SELECT count(*)::int AS n FROM rounds');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('requires ADMIN_API_KEY to create rounds when it is set', async () => {
    const guarded = await testVoteApp(db.url, db.pool, {
      ADMIN_API_KEY: 'operator-key-0123456789',
    });
    try {
      expect((await postJson(guarded, '/rounds', {})).status).toBe(401);
      const wrong = await postJson(guarded, '/rounds', {}, { authorization: 'Bearer nope' });
      expect(wrong).toMatchObject({ status: 403, body: { error: 'forbidden' } });
      const right = await postJson(
        guarded,
        '/rounds',
        {},
        { authorization: 'Bearer operator-key-0123456789' },
      );
      expect(right.status).toBe(201);
    } finally {
      await guarded.close();
    }
  });
});

describe('POST /rounds: text and dates the database cannot take are 400s, never 500s', () => {
  it.each([
    [{ name: 'a\u0000b' }, 'invalid_round'],
    [{ name: 'line\nbreak' }, 'invalid_round'],
    [{ options: ['a', '\ud800'] }, 'invalid_round'],
    [{ options: ['a', 'A '] }, 'invalid_round'],
    [{ options: ['a', '\u3164'] }, 'invalid_round'],
    [{ closes_at: '2099-12-31T23:59:60Z' }, 'invalid_round'],
  ])('refuses %j with 400 %s and stores nothing', async (payload, code) => {
    const before = await db.pool.query('SELECT count(*)::int AS n FROM rounds');
    const { status, body } = await postJson(app, '/rounds', payload);
    expect({ status, error: body.error }).toEqual({ status: 400, error: code });
    const after = await db.pool.query('SELECT count(*)::int AS n FROM rounds');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('gives a name of only spaces or invisible characters the default name', async () => {
    const { status, body } = await postJson(app, '/rounds', { name: ' \u200b ' });
    expect(status).toBe(201);
    expect(body.name).toMatch(/^Round \d{4}-/);
  });
});

describe('GET /rounds', () => {
  it('lists listed open rounds newest first, page by page, leaving closed and unlisted ones out', async () => {
    const created: string[] = [];
    for (let i = 0; i < 5; i++)
      created.push(
        (await postJson(app, '/rounds', { name: `page ${i}`, listed: true })).body.round_id,
      );
    const unlisted = await postJson(app, '/rounds', { name: 'unlisted' });
    const closed = await postJson(app, '/rounds', { name: 'closed', listed: true });
    await postJson(
      app,
      `/rounds/${closed.body.round_id}/close`,
      {},
      { authorization: `Bearer ${closed.body.admin_token}` },
    );

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
      const page = await getJson(app, `/rounds${query}`);
      expect(page.status).toBe(200);
      expect(page.body.rounds.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.rounds.map((r: { round_id: string }) => r.round_id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).not.toContain(closed.body.round_id);
    expect(seen).not.toContain(unlisted.body.round_id);
    const ours = seen.filter((id) => created.includes(id));
    expect(ours).toEqual([...created].reverse());
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('refuses a bad limit or cursor', async () => {
    expect((await getJson(app, '/rounds?limit=0')).body.error).toBe('invalid_request');
    expect((await getJson(app, '/rounds?limit=abc')).status).toBe(400);
    expect((await getJson(app, '/rounds?cursor=garbage')).body).toMatchObject({
      error: 'invalid_cursor',
    });
  });

  it('refuses a forged cursor with a date PostgreSQL cannot hold or an id in another form', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    for (const forged of [
      ['-271821-04-20T00:00:00.000Z', id],
      ['2024-01-01', id],
      ['2024-01-01T00:00:00.000Z', `urn:uuid:${id}`],
      ['2024-01-01T00:00:00.000Z', `{${id}}`],
      [1, id],
      'not an array',
    ]) {
      const cursor = Buffer.from(JSON.stringify(forged)).toString('base64url');
      const answer = await getJson(app, `/rounds?cursor=${cursor}`);
      expect(answer, JSON.stringify(forged)).toMatchObject({
        status: 400,
        body: { error: 'invalid_cursor' },
      });
    }
  });
});

describe('POST /rounds/:id/close', () => {
  it('needs the admin token: 401 without, 403 wrong, then closes idempotently', async () => {
    const round = (await postJson(app, '/rounds', {})).body;
    const url = `/rounds/${round.round_id}/close`;
    expect((await postJson(app, url, {})).status).toBe(401);
    expect((await postJson(app, url, {}, { authorization: 'Bearer wrong-token' })).status).toBe(
      403,
    );
    const other = (await postJson(app, '/rounds', {})).body;
    expect(
      (await postJson(app, url, {}, { authorization: `Bearer ${other.admin_token}` })).status,
    ).toBe(403);

    const first = await postJson(app, url, {}, { authorization: `Bearer ${round.admin_token}` });
    expect(first).toMatchObject({ status: 200, body: { status: 'closed' } });
    const again = await postJson(app, url, {}, { authorization: `Bearer ${round.admin_token}` });
    expect(again.status).toBe(200);
    expect(again.body.closed_at).toBe(first.body.closed_at);
  });

  it('answers 404 for an unknown round and 400 for a malformed id', async () => {
    const unknown = await postJson(
      app,
      '/rounds/00000000-0000-4000-8000-000000000000/close',
      {},
      { authorization: 'Bearer x' },
    );
    expect(unknown).toMatchObject({ status: 404, body: { error: 'round_not_found' } });
    expect((await postJson(app, '/rounds/not-a-uuid/close', {})).body.error).toBe(
      'invalid_request',
    );
  });
});
