import { createPool, type Pool } from '@voting/db';
import type { HttpApp } from '@voting/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, postJson, testVoteApp } from '../../../test/support/apps.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { hostAndPort, TcpProxy, throughProxy } from '../../../test/support/tcp-proxy.ts';

let db: TestDatabase;
let app: HttpApp;
let roundId: string;

async function storedCounts() {
  const { rows } = await db.pool.query(
    'SELECT (SELECT count(*) FROM rounds)::int AS rounds, (SELECT count(*) FROM ballots)::int AS ballots',
  );
  return rows[0];
}

beforeAll(async () => {
  db = await createTestDatabase();
  app = await testVoteApp(db.url, db.pool);
  roundId = (await postJson(app, '/rounds', {})).body.round_id;
});
afterAll(async () => {
  await app.close();
  await db.drop();
});

describe('bad input gets a 4xx JSON error and changes nothing (invariant 7)', () => {
  const raw = (url: string, payload: string, contentType = 'application/json') =>
    app.inject({ method: 'POST', url, payload, headers: { 'content-type': contentType } });

  it.each([
    ['malformed JSON', '/vote', '{"round_id": ', 400, 'invalid_json'],
    ['an empty body', '/vote', '', 400, 'invalid_json'],
    ['a body that is an array', '/vote', '[1,2]', 400, 'invalid_ballot'],
    ['a body that is a string', '/vote', '"vote"', 400, 'invalid_ballot'],
    ['null', '/vote', 'null', 400, 'invalid_ballot'],
    ['a missing round_id', '/vote', '{"option_id":1}', 400, 'invalid_ballot'],
    ['a malformed round id', '/vote', '{"round_id":"abc","option_id":1}', 400, 'invalid_ballot'],
    [
      'a string option id',
      '/vote',
      `{"round_id":"00000000-0000-4000-8000-000000000000","option_id":"1"}`,
      400,
      'invalid_ballot',
    ],
    ['malformed JSON on /rounds', '/rounds', '{name', 400, 'invalid_json'],
    ['a body that is an array on /rounds', '/rounds', '[]', 400, 'invalid_request'],
  ])('%s', async (_what, url, payload, status, code) => {
    const before = await storedCounts();
    const response = await raw(url, payload);
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toEqual({ error: code, message: expect.any(String) });
    expect(await storedCounts()).toEqual(before);
  });

  it('a ballot with a wrong option type for a known round', async () => {
    const response = await raw('/vote', JSON.stringify({ round_id: roundId, option_id: 1.5 }));
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('invalid_ballot');
  });

  it('a body over 64 KiB gets 413', async () => {
    const before = await storedCounts();
    const big = JSON.stringify({ name: 'x', options: ['a', 'b'], padding: 'x'.repeat(70_000) });
    const response = await raw('/rounds', big);
    expect(response.statusCode).toBe(413);
    expect(response.json().error).toBe('payload_too_large');
    expect(await storedCounts()).toEqual(before);
  });

  it('a body that is not JSON gets 415', async () => {
    const response = await raw('/vote', 'round_id=1', 'application/x-www-form-urlencoded');
    expect(response.statusCode).toBe(415);
    expect(response.json().error).toBe('unsupported_media_type');
  });

  it('an X-Voter-Id with control characters or over 200 characters', async () => {
    for (const voter of ['x'.repeat(201), 'tab\there']) {
      const answer = await postJson(
        app,
        '/vote',
        { round_id: roundId, option_id: 1 },
        { 'x-voter-id': voter },
      );
      expect(answer).toMatchObject({ status: 400, body: { error: 'invalid_voter_id' } });
    }
  });

  it('an unknown path or method', async () => {
    expect((await getJson(app, '/nowhere')).body.error).toBe('not_found');
    const response = await app.inject({ method: 'DELETE', url: '/vote' });
    expect(response.statusCode).toBe(404);
  });
});

describe('a database outage', () => {
  let proxy: TcpProxy;
  let pool: Pool;
  let outageApp: HttpApp;

  beforeAll(async () => {
    const target = hostAndPort(db.url);
    proxy = new TcpProxy(target.host, target.port);
    await proxy.start();
    const url = throughProxy(db.url, proxy);
    pool = createPool({ connectionString: url, max: 4 });
    outageApp = await testVoteApp(url, pool);
  });
  afterAll(async () => {
    await outageApp.close();
    await pool.end();
    await proxy.cut();
  });

  it('gives 503 database_unavailable and a failing /readyz, then recovers by itself', async () => {
    const round = (await postJson(outageApp, '/rounds', { name: 'outage' })).body;
    expect((await getJson(outageApp, '/readyz')).status).toBe(200);

    await proxy.cut();
    const during = await postJson(outageApp, '/vote', { round_id: round.round_id, option_id: 1 });
    expect(during).toMatchObject({ status: 503, body: { error: 'database_unavailable' } });
    expect((await postJson(outageApp, '/rounds', {})).status).toBe(503);
    expect((await getJson(outageApp, '/readyz')).status).toBe(503);
    expect((await getJson(outageApp, '/livez')).status).toBe(200);

    await proxy.restore();
    const after = await postJson(outageApp, '/vote', { round_id: round.round_id, option_id: 1 });
    expect(after.status).toBe(200);
    expect((await getJson(outageApp, '/readyz')).status).toBe(200);
  });
});
