/**
 * Invariant 10 for requests: each client address has a budget per kind of request on each
 * replica; past it the answer is 429 `rate_limited` with Retry-After, counted in
 * `http_requests_rate_limited_total{budget}`. The app is the one every service starts from
 * (createServiceApp, on a database it never reaches) with stand-in routes on the real patterns.
 */
import { createPool } from '@voting/db';
import { createLogger, type HttpApp, loadConfig } from '@voting/runtime';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registryOf } from './metrics-server.ts';
import { rateLimitConfig } from './rate-limits.ts';
import { createServiceApp } from './service-app.ts';

const apps: HttpApp[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

/** A service app with the limits of `env` and stand-ins for the API's routes. */
async function serviceWith(env: Record<string, string>, trustedProxies = ''): Promise<HttpApp> {
  const pool = createPool({ connectionString: 'postgres://nobody@127.0.0.1:1/none', max: 1 });
  const context = {
    config: { TRUSTED_PROXIES: trustedProxies },
    pool,
    logger: createLogger('test', 'silent'),
  };
  const { app } = await createServiceApp('test', context, {
    rateLimits: loadConfig(rateLimitConfig, env),
  });
  app.addHook('onClose', () => pool.end());
  const answer = { 200: { type: 'object', additionalProperties: true } };
  const ok = async (request: { ip: string }) => ({ ip: request.ip });
  for (const url of ['/rounds', '/rounds/:id/invitations', '/vote', '/rounds/:id/close'])
    app.post(url, { schema: { response: answer } }, ok);
  for (const url of ['/rounds/:id/results', '/rounds/:id/definition', '/r/:id'])
    app.get(url, { schema: { response: answer } }, ok);
  apps.push(app);
  return app;
}

const send = (app: HttpApp, method: 'GET' | 'POST', url: string, from = '203.0.113.7') =>
  app.inject({ method, url, remoteAddress: from, ...(method === 'POST' && { payload: {} }) });

const counted = async (app: HttpApp, budget: string) => {
  const page = await registryOf(app).metrics();
  const line = page
    .split('\n')
    .find((l) => l.startsWith(`http_requests_rate_limited_total{budget="${budget}"`));
  return line === undefined ? undefined : Number(line.split(' ').pop());
};

const tiny = {
  RATE_LIMIT_ROUNDS: '2/60s',
  RATE_LIMIT_INVITATIONS: '2/60s',
  RATE_LIMIT_BALLOTS: '2/60s',
  RATE_LIMIT_READS: '2/60s',
};

describe.each([
  ['rounds', 'POST', '/rounds'],
  ['invitations', 'POST', '/rounds/7/invitations'],
  ['ballots', 'POST', '/vote'],
  ['reads', 'GET', '/rounds/7/results'],
] as const)('past the %s budget', (budget, method, url) => {
  it('answers 429 rate_limited with Retry-After, to that client only, and counts it', async () => {
    const app = await serviceWith(tiny);
    for (let i = 0; i < 2; i++) expect((await send(app, method, url)).statusCode).toBe(200);
    const refused = await send(app, method, url);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/json/);
    expect(refused.json()).toEqual({ error: 'rate_limited', message: expect.any(String) });
    expect(refused.json().message).toMatch(/at most 2 in 60 s.*try again in \d+ s/);
    const retryAfter = Number(refused.headers['retry-after']);
    expect(Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= 60).toBe(true);
    // The onRequest hooks ran first (a page reading the refusal needs its CORS headers).
    expect(refused.headers['x-request-id']).toBeDefined();
    expect(await counted(app, budget)).toBe(1);

    // Another address has a budget of its own; so has another kind of request.
    expect((await send(app, method, url, '198.51.100.1')).statusCode).toBe(200);
    const other = budget === 'reads' ? send(app, 'POST', '/vote') : send(app, 'GET', '/r/7');
    expect((await other).statusCode).toBe(200);
  });
});

it('lets the client in again once its window has passed', async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  const app = await serviceWith({ RATE_LIMIT_BALLOTS: '1/10s' });
  expect((await send(app, 'POST', '/vote')).statusCode).toBe(200);
  expect((await send(app, 'POST', '/vote')).statusCode).toBe(429);
  vi.setSystemTime(Date.now() + 10_001);
  expect((await send(app, 'POST', '/vote')).statusCode).toBe(200);
});

it('takes 300 voters behind one NAT address, voting within seconds, with the defaults', async () => {
  const app = await serviceWith({});
  // Each opens the vote page (page, 3 assets, web-config, definition: 6 reads here as the page
  // route), votes, then opens the results page (~6 reads): 12 reads and a ballot each.
  const voter = async () => {
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await send(app, 'GET', '/r/7'));
    answers.push(await send(app, 'POST', '/vote'));
    for (let i = 0; i < 6; i++) answers.push(await send(app, 'GET', '/rounds/7/definition'));
    return answers.map((answer) => answer.statusCode);
  };
  const started = performance.now();
  const statuses = (await Promise.all(Array.from({ length: 300 }, voter))).flat();
  expect(performance.now() - started).toBeLessThan(10_000);
  expect(statuses).toHaveLength(300 * 13);
  expect(statuses.filter((status) => status !== 200)).toEqual([]);
  expect(await counted(app, 'ballots')).toBe(0);
  expect(await counted(app, 'reads')).toBe(0);
});

describe('the client address', () => {
  it('is the one X-Forwarded-For names, from a trusted proxy', async () => {
    const app = await serviceWith(tiny, '10.0.0.0/8');
    const via = (client: string) =>
      app.inject({
        method: 'POST',
        url: '/vote',
        payload: {},
        remoteAddress: '10.1.2.3',
        headers: { 'x-forwarded-for': client },
      });
    expect((await via('203.0.113.1')).json()).toEqual({ ip: '203.0.113.1' });
    expect((await via('203.0.113.1')).statusCode).toBe(200);
    expect((await via('203.0.113.1')).statusCode).toBe(429);
    // Another client behind the same proxy has its own budget.
    expect((await via('203.0.113.2')).statusCode).toBe(200);
    // A client cannot pose as another by prepending: the proxy appends the address it saw.
    expect((await via('203.0.113.9, 203.0.113.1')).statusCode).toBe(429);
  });

  it('is the socket’s for any other peer, whatever X-Forwarded-For says', async () => {
    const app = await serviceWith(tiny, '10.0.0.0/8');
    const statuses = [];
    for (const claimed of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) {
      const answer = await app.inject({
        method: 'POST',
        url: '/vote',
        payload: {},
        remoteAddress: '198.51.100.50',
        headers: { 'x-forwarded-for': claimed },
      });
      statuses.push(answer.statusCode);
      if (answer.statusCode === 200) expect(answer.json()).toEqual({ ip: '198.51.100.50' });
    }
    expect(statuses).toEqual([200, 200, 429]);
  });

  it('is the socket’s when no proxy is trusted (the default)', async () => {
    const app = await serviceWith(tiny);
    const answer = await app.inject({
      method: 'POST',
      url: '/vote',
      payload: {},
      remoteAddress: '10.1.2.3',
      headers: { 'x-forwarded-for': '203.0.113.1' },
    });
    expect(answer.json()).toEqual({ ip: '10.1.2.3' });
  });
});

describe('never limited', () => {
  it('health, readiness and the API description, whatever the client spent', async () => {
    const app = await serviceWith({ ...tiny, RATE_LIMIT_READS: '1/60s' });
    await send(app, 'GET', '/r/7');
    expect((await send(app, 'GET', '/r/7')).statusCode).toBe(429);
    for (let i = 0; i < 5; i++) {
      for (const url of ['/health', '/livez', '/openapi.json'])
        expect((await send(app, 'GET', url)).statusCode, url).toBe(200);
      // /readyz answers 503 here (no database), never 429.
      expect((await send(app, 'GET', '/readyz')).statusCode).toBe(503);
    }
  });

  it('a budget switched off, while the others still refuse', async () => {
    const app = await serviceWith({ ...tiny, RATE_LIMIT_BALLOTS: 'off' });
    for (let i = 0; i < 50; i++) expect((await send(app, 'POST', '/vote')).statusCode).toBe(200);
    expect(await counted(app, 'ballots')).toBeUndefined();
    await send(app, 'POST', '/rounds');
    await send(app, 'POST', '/rounds');
    expect((await send(app, 'POST', '/rounds')).statusCode).toBe(429);
  });

  it('anything, with RATE_LIMITS=off, and no metric is registered', async () => {
    const app = await serviceWith({ ...tiny, RATE_LIMITS: 'off' });
    for (let i = 0; i < 20; i++) {
      expect((await send(app, 'POST', '/vote')).statusCode).toBe(200);
      expect((await send(app, 'GET', '/r/7')).statusCode).toBe(200);
    }
    expect(await registryOf(app).metrics()).not.toContain('http_requests_rate_limited_total');
  });
});

it('spends reads on a 404, and documents 429 on every limited route', async () => {
  const app = await serviceWith({ RATE_LIMIT_READS: '1/60s', RATE_LIMIT_ROUNDS: 'off' });
  expect((await send(app, 'GET', '/nowhere')).statusCode).toBe(404);
  expect((await send(app, 'GET', '/nowhere')).statusCode).toBe(429);
  const paths = (await send(app, 'GET', '/openapi.json')).json().paths;
  expect(Object.keys(paths['/vote'].post.responses)).toEqual(['200', '429']);
  expect(Object.keys(paths['/r/{id}'].get.responses)).toEqual(['200', '429']);
  // Round creation is off: it never answers 429, so it does not say it might.
  expect(Object.keys(paths['/rounds'].post.responses)).toEqual(['200']);
});
