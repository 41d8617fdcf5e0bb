import { createPool, type Pool } from '@voting/db';
import type { HttpApp } from '@voting/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, postJson, testVoteApp } from '../../../test/support/apps.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { caseVariants, refusedIdForms } from '../../../test/support/id-forms.ts';
import { hostAndPort, TcpProxy, throughProxy } from '../../../test/support/tcp-proxy.ts';

let db: TestDatabase;
let app: HttpApp;
let roundId: string;

async function storedCounts() {
  const { rows } = await db.pool.query(
    `SELECT (SELECT count(*) FROM rounds)::int AS rounds, (SELECT count(*) FROM options)::int AS options,
       (SELECT count(*) FROM ballots)::int AS ballots, (SELECT count(*) FROM ballot_changes)::int AS changes`,
  );
  return rows[0];
}

/** POST with a body as given, not serialized. */
const raw = (url: string, payload: string, contentType = 'application/json') =>
  app.inject({ method: 'POST', url, payload, headers: { 'content-type': contentType } });

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

describe('ids: every form the database would read differently is a 400 before any SQL', () => {
  it('refuses urn:uuid:, braces, no hyphens and other lengths on every route taking a round id', async () => {
    const routes = (id: string): [string, string, string][] => {
      const path = encodeURIComponent(id);
      return [
        ['GET', `/rounds/${path}`, 'invalid_request'],
        ['GET', `/rounds/${path}/results`, 'invalid_request'],
        ['GET', `/rounds/${path}/definition`, 'invalid_request'],
        ['GET', `/rounds/${path}/ballots`, 'invalid_request'],
        ['GET', `/rounds/${path}/receipts/${roundId}`, 'invalid_request'],
        ['GET', `/rounds/${roundId}/receipts/${path}`, 'invalid_request'],
        ['POST', `/rounds/${path}/close`, 'invalid_request'],
      ];
    };
    const before = await storedCounts();
    for (const id of refusedIdForms(roundId)) {
      for (const [method, url, code] of routes(id)) {
        const answer = await app.inject({ method: method as 'GET', url });
        expect(answer.statusCode, `${method} ${url}`).toBe(400);
        expect(answer.json(), `${method} ${url}`).toEqual({
          error: code,
          message: expect.any(String),
        });
      }
      const vote = await postJson(app, '/vote', { round_id: id, option_id: 1 });
      expect(vote, JSON.stringify(id)).toMatchObject({
        status: 400,
        body: { error: 'invalid_ballot' },
      });
    }
    expect(await storedCounts()).toEqual(before);
  });

  it('takes an id in upper or mixed case as the same round, answering the canonical form', async () => {
    for (const id of caseVariants(roundId)) {
      for (const url of [`/rounds/${id}`, `/rounds/${id}/definition`]) {
        const answer = await getJson(app, url);
        expect(answer.status, url).toBe(200);
        expect(answer.body.round_id, url).toBe(roundId);
      }
    }
  });

  it('gives one voter one ballot however the round id is cased (invariant 2)', async () => {
    const round = (await postJson(app, '/rounds', { options: ['a', 'b', 'c'] })).body;
    const answers = [];
    for (const id of caseVariants(round.round_id)) {
      answers.push(
        await postJson(
          app,
          '/vote',
          { round_id: id, option_id: 1 },
          { 'x-voter-id': 'case-voter' },
        ),
      );
    }
    expect(answers.map((answer) => answer.status)).toEqual([200, 409, 409]);
    expect(answers[0]?.body.round_id).toBe(round.round_id);
    expect(answers[1]?.body.error).toBe('duplicate_vote');
    const { rows } = await db.pool.query(
      'SELECT count(*)::int AS n FROM ballots WHERE round_id = $1',
      [round.round_id],
    );
    expect(rows[0].n).toBe(1);
  });

  it('replaces the ballot, never adds one, when revoting with another casing', async () => {
    const round = (await postJson(app, '/rounds', { options: ['a', 'b', 'c'], allow_revote: true }))
      .body;
    const variants = caseVariants(round.round_id);
    const replaced = [];
    for (const [index, id] of variants.entries()) {
      const answer = await postJson(
        app,
        '/vote',
        { round_id: id, option_id: index + 1 },
        { 'x-voter-id': 'case-revoter' },
      );
      expect(answer.status).toBe(200);
      replaced.push(answer.body.replaced);
    }
    expect(replaced).toEqual([false, true, true]);
    const { rows } = await db.pool.query('SELECT choices FROM ballots WHERE round_id = $1', [
      round.round_id,
    ]);
    expect(rows).toEqual([{ choices: [3] }]);
    const results = await getJson(app, `/rounds/${round.round_id.toUpperCase()}/results`);
    expect(results.body.map((o: { votes: number }) => o.votes)).toEqual([1, 0, 0]);
  });

  it('finds a receipt by an upper-case round id and receipt', async () => {
    const round = (await postJson(app, '/rounds', {})).body;
    const cast = await postJson(app, '/vote', { round_id: round.round_id, option_id: 2 });
    const url = `/rounds/${round.round_id.toUpperCase()}/receipts/${cast.body.receipt.toUpperCase()}`;
    const answer = await getJson(app, url);
    expect(answer).toMatchObject({
      status: 200,
      body: { round_id: round.round_id, receipt: cast.body.receipt, choices: [2] },
    });
  });
});

describe('names and labels: refused with what PostgreSQL or people cannot take, else stored clean', () => {
  it.each([
    ['a NUL in the name', { name: 'lunch\u0000' }],
    ['a NUL in a label', { options: ['a', 'b\u0000'] }],
    ['a lone surrogate in a label', { options: ['a', 'pizza \ud83c'] }],
    ['a lone surrogate in the name', { name: '\udc00' }],
    ['a newline in the name', { name: 'two\nlines' }],
    ['a tab in a label', { options: ['a\tb', 'c'] }],
    ['a C1 control', { options: ['a\u0085', 'b'] }],
    ['a right-to-left override', { options: ['Pizza', '\u202eazziP'] }],
    ['a label that is only zero-width characters', { options: ['a', '\u200b\u200d\ufeff'] }],
    ['look-alike labels: case and spaces', { options: ['Pizza', 'pizza '] }],
    ['look-alike labels: NFC', { options: ['Café', 'Cafe\u0301'] }],
    ['look-alike labels: a zero-width space', { options: ['Pizza', 'Piz\u200bza'] }],
    ['a label 600 characters long once normalized', { options: ['a', '\ufb2c'.repeat(200)] }],
  ])('%s: 400 invalid_round and nothing stored', async (_what, round) => {
    const before = await storedCounts();
    const answer = await raw('/rounds', JSON.stringify(round));
    expect(answer.statusCode).toBe(400);
    expect(answer.json()).toEqual({ error: 'invalid_round', message: expect.any(String) });
    expect(await storedCounts()).toEqual(before);
  });

  it('names the duplicate labels', async () => {
    const answer = await postJson(app, '/rounds', { options: ['Pizza', 'Sushi', 'PIZZA\u200b'] });
    expect(answer.body.message).toContain('"Pizza" and "PIZZA"');
  });

  it('answers in the 201 exactly what it stored: NFC, trimmed', async () => {
    const answer = await postJson(app, '/rounds', {
      name: '  Cafe\u0301 vote\u200b ',
      options: ['\ufeffCafe\u0301', ' Thé ', '👨‍👩‍👧'],
    });
    expect(answer.status).toBe(201);
    expect(answer.body.name).toBe('Café vote');
    const labels = answer.body.options.map((o: { label: string }) => o.label);
    expect(labels).toEqual(['Café', 'Thé', '👨‍👩‍👧']);
    const stored = await db.pool.query(
      `SELECT r.name, array_agg(o.label ORDER BY o.option_id) AS labels
       FROM rounds r JOIN options o USING (round_id) WHERE r.round_id = $1 GROUP BY r.name`,
      [answer.body.round_id],
    );
    expect(stored.rows[0]).toEqual({ name: 'Café vote', labels });
    expect((await getJson(app, `/rounds/${answer.body.round_id}`)).body.options).toEqual(
      answer.body.options,
    );
  });
});

describe('bodies and methods: every error is the JSON error', () => {
  it('takes an empty body with a JSON content type where a route takes none (close)', async () => {
    const round = (await postJson(app, '/rounds', {})).body;
    const answer = await app.inject({
      method: 'POST',
      url: `/rounds/${round.round_id}/close`,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${round.admin_token}` },
      payload: '',
    });
    expect(answer.statusCode).toBe(200);
    expect(answer.json().status).toBe('closed');
  });

  it.each([
    ['text/plain', '/vote', 'round_id=1', 415, 'unsupported_media_type'],
    ['text/plain', '/rounds', '{}', 415, 'unsupported_media_type'],
    ['application/json', '/rounds', '', 400, 'invalid_json'],
    ['application/json', '/rounds', 'name=x', 400, 'invalid_json'],
  ])('a %s body to %s: %j', async (type, url, payload, status, code) => {
    const before = await storedCounts();
    const answer = await raw(url, payload, type);
    expect(answer.statusCode).toBe(status);
    expect(answer.json()).toEqual({ error: code, message: expect.any(String) });
    expect(await storedCounts()).toEqual(before);
  });

  it.each([
    ['PATCH', '/vote'],
    ['PUT', '/rounds'],
    ['TRACE', '/vote'],
    ['CONNECT', '/vote'],
    ['OPTIONS', '/vote'],
  ] as const)('%s %s', async (method, url) => {
    const answer = await app.inject({ method, url });
    expect(answer.statusCode).toBe(404);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expect(answer.json()).toEqual({ error: 'not_found', message: expect.any(String) });
  });

  it('a URL that is not valid percent-encoding', async () => {
    for (const url of ['/rounds/%zz', '/rounds/%E0%A4%A/results', '/vote%']) {
      const answer = await app.inject({ url });
      expect(answer.statusCode, url).toBe(400);
      expect(answer.json(), url).toEqual({ error: 'invalid_request', message: expect.any(String) });
    }
  });

  it('an OPTIONS that is not a CORS preflight, with CORS on', async () => {
    const withCors = await testVoteApp(db.url, db.pool, {
      PUBLIC_VOTE_URL: 'https://vote.example',
      PUBLIC_RESULT_URL: 'https://results.example',
    });
    try {
      const answer = await withCors.inject({ method: 'OPTIONS', url: '/vote' });
      expect(answer.statusCode).toBe(400);
      expect(answer.headers['content-type']).toMatch(/^application\/json/);
      expect(answer.json()).toEqual({ error: 'invalid_request', message: expect.any(String) });
      const preflight = await withCors.inject({
        method: 'OPTIONS',
        url: '/vote',
        headers: { origin: 'https://vote.example', 'access-control-request-method': 'POST' },
      });
      expect(preflight.statusCode).toBe(204);
    } finally {
      await withCors.close();
    }
  });
});
