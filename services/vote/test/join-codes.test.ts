/**
 * Join codes and `shuffle_options` (issue 14, items 2 and 3): every round gets a 6-character code
 * of the unambiguous alphabet, unique among the rounds not closed (a taken code is drawn again);
 * `GET /join/:code` and `/j/:code` resolve it in any case and spacing, for a day after its round
 * closed; a duplicate gets a code of its own and the settings, `shuffle_options` among them. Bad
 * codes are a 4xx, never a 5xx (invariant 7), and guessing codes spends a budget of its own
 * (invariant 10).
 */
import { randomBytes } from 'node:crypto';
import { insertRound } from '@voting/db';
import { JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, normalizeJoinCode } from '@voting/domain';
import type { HttpApp } from '@voting/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, postJson, testVoteApp } from '../../../test/support/apps.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { openApiProblems, recordResponses } from '../../../test/support/openapi.ts';
import { newRoundFields } from '../../../test/support/rounds.ts';
import { buildWeb } from '../../../web/build.ts';

let db: TestDatabase;
let app: HttpApp;
let responses: ReturnType<typeof recordResponses>;

beforeAll(async () => {
  // `/j/:code` answers a code that leads nowhere with the join page's shell.
  await buildWeb();
  db = await createTestDatabase();
  app = await testVoteApp(db.url, db.pool);
  responses = recordResponses(app);
});
afterAll(async () => {
  await app?.close();
  await db?.drop();
});

interface Created {
  round_id: string;
  admin_token: string;
  join_code: string | null;
  shuffle_options: boolean;
  status: string;
}

async function create(settings: object = {}): Promise<Created> {
  const { status, body } = await postJson(app, '/rounds', {
    options: ['Red', 'Blue'],
    ...settings,
  });
  expect(status, JSON.stringify(body)).toBe(201);
  return body as Created;
}

const codeOf = (round: Created): string => {
  if (!round.join_code) throw new Error('the round has no join code');
  return round.join_code;
};

const close = (round: Created) =>
  postJson(app, `/rounds/${round.round_id}/close`, {}, bearer(round));
const bearer = (round: Created) => ({ authorization: `Bearer ${round.admin_token}` });

/** A code of the right shape that no round holds (drawn until one is free). */
async function unusedCode(): Promise<string> {
  for (;;) {
    const code = Array.from(
      randomBytes(JOIN_CODE_LENGTH),
      (byte) => JOIN_CODE_ALPHABET[byte % JOIN_CODE_ALPHABET.length],
    ).join('');
    const { rowCount } = await db.pool.query('SELECT 1 FROM rounds WHERE join_code = $1', [code]);
    if (rowCount === 0) return code;
  }
}

const SHAPE = new RegExp(`^[${JOIN_CODE_ALPHABET}]{${JOIN_CODE_LENGTH}}$`);

describe('every round gets a join code', () => {
  it('of 6 characters without look-alikes, stored as answered, different for 300 rounds made at once', async () => {
    expect(JOIN_CODE_ALPHABET).toHaveLength(30);
    expect(JOIN_CODE_ALPHABET).not.toMatch(/[01ILOU]/);
    const rounds = await Promise.all(Array.from({ length: 300 }, () => create()));
    const codes = rounds.map(codeOf);
    for (const code of codes) expect(code).toMatch(SHAPE);
    expect(new Set(codes).size).toBe(300);
    const { rows } = await db.pool.query<{ round_id: string; join_code: string }>(
      'SELECT round_id, join_code FROM rounds WHERE round_id = ANY($1::uuid[])',
      [rounds.map((round) => round.round_id)],
    );
    expect(new Map(rows.map((row) => [row.round_id, row.join_code]))).toEqual(
      new Map(rounds.map((round) => [round.round_id, round.join_code])),
    );
    // Every character turns up: the draw covers the alphabet (1,800 draws of 30: each character
    // is missing with probability (29/30)^1800 ≈ 10⁻²⁶).
    expect(new Set(codes.join('')).size).toBe(30);
  }, 60_000);

  it('is shown by GET /rounds/:id and in the list, like the round id', async () => {
    const round = await create({ listed: true });
    const read = await getJson(app, `/rounds/${round.round_id}`);
    expect(read.body.join_code).toBe(round.join_code);
    const definition = await getJson(app, `/rounds/${round.round_id}/definition`);
    expect(definition.body.join_code).toBe(round.join_code);
    const list = await getJson(app, '/rounds?limit=100');
    const listed = list.body.rounds.find((r: Created) => r.round_id === round.round_id);
    expect(listed.join_code).toBe(round.join_code);
  });

  it('is drawn again when a round not closed holds it, a bounded number of times', async () => {
    const holder = await create();
    const taken = codeOf(holder);
    const fresh = await unusedCode();
    const draws = [taken, taken, fresh];
    const inserted = await insertRound(db.pool, newRoundFields(), () => draws.shift() ?? fresh);
    expect(inserted.joinCode).toBe(fresh);
    expect(draws).toEqual([]);

    let tries = 0;
    await expect(
      insertRound(db.pool, newRoundFields(), () => {
        tries++;
        return taken;
      }),
    ).rejects.toMatchObject({ code: '23505', constraint: 'rounds_open_by_join_code' });
    expect(tries).toBe(5);
  });

  it('is free again once its round is closed: a new round may take it, and is then the one found', async () => {
    const old = await create();
    const code = codeOf(old);
    expect((await close(old)).status).toBe(200);
    const inserted = await insertRound(db.pool, newRoundFields(), () => code);
    expect(inserted.joinCode).toBe(code);
    const found = await getJson(app, `/join/${code}`);
    expect(found.body).toEqual({
      round_id: expect.not.stringMatching(old.round_id),
      status: 'open',
    });
  });

  it('is given to a duplicate anew, with the settings, shuffle_options among them', async () => {
    for (const shuffle of [true, false]) {
      const source = await create({ shuffle_options: shuffle, method: 'ranked' });
      expect(source.shuffle_options).toBe(shuffle);
      const copy = await app.inject({
        method: 'POST',
        url: `/rounds/${source.round_id}/duplicate`,
        headers: bearer(source),
      });
      expect(copy.statusCode).toBe(201);
      const duplicate = copy.json() as Created;
      expect(duplicate.shuffle_options).toBe(shuffle);
      expect(duplicate.join_code).toMatch(SHAPE);
      expect(duplicate.join_code).not.toBe(source.join_code);
      expect((await getJson(app, `/join/${duplicate.join_code}`)).body.round_id).toBe(
        duplicate.round_id,
      );
    }
  });

  it('is none for a round from before join codes: null in the round, and no code leads to it', async () => {
    const round = await create();
    await db.pool.query('UPDATE rounds SET join_code = NULL WHERE round_id = $1', [round.round_id]);
    // Another process, which never cached it, reads it from the table.
    const other = await testVoteApp(db.url, db.pool);
    try {
      const read = await getJson(other, `/rounds/${round.round_id}`);
      expect(read.status).toBe(200);
      expect(read.body.join_code).toBeNull();
      expect((await getJson(other, `/join/${codeOf(round)}`)).status).toBe(404);
    } finally {
      await other.close();
    }
  });
});

describe('shuffle_options', () => {
  it('defaults to false on every method, is stored as given, and is refused when not a boolean', async () => {
    for (const method of ['plurality', 'approval', 'ranked', 'condorcet']) {
      const plain = await create({ method });
      expect(plain.shuffle_options).toBe(false);
      const shuffled = await create({ method, shuffle_options: true });
      expect(shuffled.shuffle_options).toBe(true);
      const { rows } = await db.pool.query(
        'SELECT round_id, shuffle_options FROM rounds WHERE round_id = ANY($1::uuid[])',
        [[plain.round_id, shuffled.round_id]],
      );
      expect(Object.fromEntries(rows.map((row) => [row.round_id, row.shuffle_options]))).toEqual({
        [plain.round_id]: false,
        [shuffled.round_id]: true,
      });
      expect((await getJson(app, `/rounds/${shuffled.round_id}`)).body.shuffle_options).toBe(true);
    }
    for (const wrong of ['true', 1, null, {}]) {
      const refused = await postJson(app, '/rounds', { shuffle_options: wrong });
      expect(refused.status, JSON.stringify(wrong)).toBe(400);
      expect(refused.body).toMatchObject({
        error: expect.any(String),
        message: expect.any(String),
      });
    }
  });
});

describe('GET /join/:code', () => {
  it('resolves a code in any case, with spaces and dashes anywhere', async () => {
    const round = await create();
    const code = codeOf(round);
    const typed = [
      code,
      code.toLowerCase(),
      `${code.slice(0, 3)}-${code.slice(3)}`,
      ` ${code.slice(0, 3).toLowerCase()} ${code.slice(3)} `,
      code.split('').join('-'),
      `${code.slice(0, 3)}\u2013${code.slice(3)}`,
    ];
    for (const text of typed) {
      const found = await getJson(app, `/join/${encodeURIComponent(text)}`);
      expect(found, text).toEqual({
        status: 200,
        body: { round_id: round.round_id, status: 'open' },
      });
    }
  });

  it('answers 404 join_code_not_found for a code no round has', async () => {
    const missing = await getJson(app, `/join/${await unusedCode()}`);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({
      error: 'join_code_not_found',
      message: expect.any(String),
    });
  });

  it.each([
    ['too short', 'K7MQ2'],
    ['too long', 'K7MQ2PX'],
    ['a zero', 'K7MQ20'],
    ['a one', 'K7MQ21'],
    ['an O', 'K7MQ2O'],
    ['an I', 'K7MQ2I'],
    ['an L', 'K7MQ2L'],
    ['a U', 'K7MQ2U'],
    ['an accent', 'K7MQ2É'],
    ['a full-width letter', 'K7MQ2Ｐ'],
    ['only dashes', '------'],
  ])('answers 400 invalid_join_code for %s', async (_why, code) => {
    const refused = await getJson(app, `/join/${encodeURIComponent(code)}`);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: 'invalid_join_code', message: expect.any(String) });
  });

  it('says a scheduled round is scheduled, and a closed one closed for a day after its close', async () => {
    const scheduled = await create({ opens_at: new Date(Date.now() + 3_600_000).toISOString() });
    expect((await getJson(app, `/join/${scheduled.join_code}`)).body).toEqual({
      round_id: scheduled.round_id,
      status: 'scheduled',
    });

    const round = await create();
    await close(round);
    expect((await getJson(app, `/join/${round.join_code}`)).body).toEqual({
      round_id: round.round_id,
      status: 'closed',
    });
    const page = await app.inject({ url: `/j/${round.join_code}` });
    expect(page.statusCode).toBe(303);
    // A day later the code leads nowhere.
    await db.pool.query(
      `UPDATE rounds SET closed_at = now() - interval '25 hours' WHERE round_id = $1`,
      [round.round_id],
    );
    expect((await getJson(app, `/join/${round.join_code}`)).status).toBe(404);
  });

  it('is documented, and every answer matches the OpenAPI document', async () => {
    const document = (await app.inject({ url: '/openapi.json' })).json();
    expect(Object.keys(document.paths['/join/{code}'].get.responses)).toEqual(
      expect.arrayContaining(['200', '400', '404']),
    );
    expect(document.paths['/j/{code}']).toBeUndefined();
    const joins = responses.filter((response) => response.route === '/join/:code');
    expect(new Set(joins.map((response) => response.status))).toEqual(new Set([200, 400, 404]));
    expect(await openApiProblems(app, joins)).toEqual([]);
  });
});

describe('/j/:code, the address a person types', () => {
  it('redirects to the voting page, relatively, so a path prefix is kept', async () => {
    const round = await create();
    for (const typed of [codeOf(round), codeOf(round).toLowerCase()]) {
      const answer = await app.inject({ url: `/j/${typed}` });
      expect(answer.statusCode).toBe(303);
      expect(answer.headers.location).toBe(`../r/${round.round_id}`);
      // Resolved against where the browser is, with or without a prefix.
      expect(new URL(answer.headers.location ?? '', `http://h/j/${typed}`).pathname).toBe(
        `/r/${round.round_id}`,
      );
      expect(new URL(answer.headers.location ?? '', `http://h/live/j/${typed}`).pathname).toBe(
        `/live/r/${round.round_id}`,
      );
      expect(answer.headers['cache-control']).toBe('no-store');
    }
  });

  it('shows the join page, not JSON, as a 404 for a code that leads nowhere, with the pages’ headers', async () => {
    for (const typed of [await unusedCode(), 'nonsense', '%F0%9F%8E%89']) {
      const answer = await app.inject({ url: `/j/${typed}` });
      expect(answer.statusCode, typed).toBe(404);
      expect(answer.headers['content-type']).toMatch(/^text\/html/);
      expect(answer.body).toContain('src="../assets/join.js"');
      expect(String(answer.headers['content-security-policy'])).toContain("script-src 'self'");
      expect(answer.headers['x-frame-options']).toBe('DENY');
    }
  });
});

describe('bad input (invariant 7)', () => {
  it('never answers a 5xx to 600 fuzzed codes, and a 4xx is the JSON error (the page a 404)', async () => {
    // A seeded generator, so a failing run is replayed by its printed seed.
    const seed = Number(process.env.FUZZ_SEED ?? randomBytes(4).readUInt32LE(0));
    let state = seed >>> 0;
    const next = () => {
      // mulberry32
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
    };
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
    const pieces = [
      ...JOIN_CODE_ALPHABET,
      ...'01ILOUilou abcxyz',
      '-',
      ' ',
      '\u00a0',
      '\u2013',
      '.',
      '_',
      '\u0000',
      '\u202e',
      '\ud800',
      '\udfff',
      '🎉',
      'ß',
      'Ｋ',
      '%',
      '%zz',
      '/',
      '..',
      '?',
      '#',
      'é',
      '\u0301',
    ];
    const round = await create();
    const typed = () => {
      const kind = next();
      if (kind < 0.3) {
        // The real code, mangled the ways people mangle it.
        return [...codeOf(round)]
          .map((c) => (next() < 0.5 ? c.toLowerCase() : c) + (next() < 0.3 ? pick(['-', ' ']) : ''))
          .join('');
      }
      if (kind < 0.35) return 'K'.repeat(Math.floor(next() * 300));
      return Array.from({ length: Math.floor(next() * 14) }, () => pick(pieces)).join('');
    };
    const encode = (text: string) =>
      next() < 0.8 ? encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '\ufffd')) : text;
    const failures: string[] = [];
    for (let i = 0; i < 600; i++) {
      const text = typed();
      for (const prefix of ['/join/', '/j/']) {
        let url = `${prefix}${encode(text)}`;
        // inject refuses to send some raw strings at all (a lone surrogate): that is no answer.
        try {
          encodeURI(url);
        } catch {
          url = `${prefix}${encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '\ufffd'))}`;
        }
        const answer = await app.inject({ method: next() < 0.2 ? 'HEAD' : 'GET', url });
        const status = answer.statusCode;
        const isPage = prefix === '/j/' && (status === 404 || status === 303);
        if (status >= 500) failures.push(`${url}: ${status}`);
        else if (status >= 400 && !isPage && answer.body !== '') {
          const body = answer.json() as { error?: unknown; message?: unknown };
          if (typeof body.error !== 'string' || typeof body.message !== 'string')
            failures.push(`${url}: ${status} ${answer.body.slice(0, 80)}`);
        }
        // A code a person could have typed for the round leads to it. (A path with `..` in it
        // may have been another route's: only this route answers JSON with a round id.)
        const routed = String(answer.headers['content-type']).startsWith('application/json');
        if (prefix === '/join/' && status === 200 && routed) {
          const segment = decodeURIComponent(url.slice(6).split(/[?#]/)[0] ?? '');
          expect(normalizeJoinCode(segment), url).toBe(round.join_code);
        }
      }
    }
    expect(failures, `seed ${seed} (replay with FUZZ_SEED=${seed})`).toEqual([]);
  }, 120_000);

  it('normalizes a code typed with any case and separators to itself, and nothing else to a code', () => {
    for (let i = 0; i < 2_000; i++) {
      const code = Array.from(
        randomBytes(JOIN_CODE_LENGTH),
        (byte) => JOIN_CODE_ALPHABET[byte % 30],
      ).join('');
      const typed = [...code]
        .map((c) => {
          const r = Math.random();
          return (r < 0.5 ? c.toLowerCase() : c) + (r < 0.2 ? ' ' : r > 0.9 ? '-' : '');
        })
        .join('');
      expect(normalizeJoinCode(typed)).toBe(code);
      expect(normalizeJoinCode(`${typed}X`)).toBeNull();
    }
    expect(normalizeJoinCode('')).toBeNull();
    expect(normalizeJoinCode(`${'-'.repeat(40)}K7MQ2P`)).toBeNull();
  });
});

describe('the joins budget (invariant 10)', () => {
  it('refuses a client’s lookups past RATE_LIMIT_JOINS, whichever way it asks, and leaves its reads alone', async () => {
    const limited = await testVoteApp(db.url, db.pool, {
      RATE_LIMITS: 'on',
      RATE_LIMIT_JOINS: '4/60s',
    });
    try {
      const round = await create();
      const code = codeOf(round);
      const statuses = [];
      for (const [method, url] of [
        ['GET', `/join/${code}`],
        ['HEAD', `/join/${code}`],
        ['GET', `/j/${code}`],
        ['HEAD', `/j/${await unusedCode()}`],
        ['GET', `/join/${code}`],
        ['GET', `/j/${code}`],
      ] as const)
        statuses.push((await limited.inject({ method, url })).statusCode);
      expect(statuses).toEqual([200, 200, 303, 404, 429, 429]);
      const refused = await limited.inject({ url: `/join/${code}` });
      expect(refused.json()).toMatchObject({ error: 'rate_limited' });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect((await limited.inject({ url: `/rounds/${round.round_id}` })).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
