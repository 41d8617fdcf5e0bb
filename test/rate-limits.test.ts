/**
 * Invariant 10, per-client request budgets, on the real services: every route either spends the
 * budget the one table (packages/service/src/rate-limits.ts) gives it or, being a cheap admin
 * write, the reads budget; a refusal is the documented 429 `rate_limited` with Retry-After, and
 * is counted on the metrics. (The limiter's own behaviour, on stand-in routes:
 * packages/service/src/rate-limits-http.test.ts.)
 */
import type { HttpApp } from '@voting/runtime';
import { budgetOf, scrapeMetrics } from '@voting/service';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, postJson, testResultApp, testVoteApp } from './support/apps.ts';
import { createRound } from './support/ballots.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { openApiProblems, type RecordedResponse, recordResponses } from './support/openapi.ts';
import { metricValue } from './support/recount.ts';

/**
 * Writes that spend the reads budget: an organizer's own actions on a round they hold the token
 * of, each a single-row update. A new write route must be given a budget in the table, or be
 * added here with a reason.
 */
const ADMIN_WRITES_SPENDING_READS = new Set([
  'POST /rounds/:id/close',
  'PATCH /rounds/:id',
  'DELETE /rounds/:id',
  'DELETE /rounds/:id/invitations/:invitation_id',
]);

let db: TestDatabase;
let vote: HttpApp;
let result: HttpApp;
let voteResponses: RecordedResponse[];
let resultResponses: RecordedResponse[];

beforeAll(async () => {
  db = await createTestDatabase();
  const limits = { RATE_LIMITS: 'on', RATE_LIMIT_BALLOTS: '3/60s', RATE_LIMIT_READS: '40/60s' };
  vote = await testVoteApp(db.url, db.pool, limits);
  result = await testResultApp(db.url, db.pool, limits);
  voteResponses = recordResponses(vote);
  resultResponses = recordResponses(result);
});
afterAll(async () => {
  await vote?.close();
  await result?.close();
  await db?.drop();
});

/** Every operation an app's OpenAPI document lists, as `METHOD /pattern` in Fastify's syntax. */
async function operations(app: HttpApp): Promise<string[]> {
  const { paths } = (await app.inject({ url: '/openapi.json' })).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
  return Object.entries(paths).flatMap(([path, methods]) =>
    Object.keys(methods).map(
      (method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`,
    ),
  );
}

describe('the route table', () => {
  it.each([
    ['vote', () => vote],
    ['result', () => result],
  ])(
    'gives every write route of %s a budget of its own, or names it as a cheap admin write',
    async (_name, app) => {
      const unplaced = (await operations(app())).filter((operation) => {
        const [method = '', route] = operation.split(' ');
        if (method === 'GET' || ADMIN_WRITES_SPENDING_READS.has(operation)) return false;
        return budgetOf(method, route) === 'reads';
      });
      expect(unplaced).toEqual([]);
    },
  );

  it('knows the vote service’s writes by the patterns it registers', async () => {
    const budgets = Object.fromEntries(
      (await operations(vote))
        .filter((operation) => operation.startsWith('POST '))
        .map((operation) => [operation, budgetOf('POST', operation.slice(5))]),
    );
    expect(budgets).toMatchObject({ 'POST /rounds': 'rounds', 'POST /vote': 'ballots' });
    if ('POST /rounds/:id/invitations' in budgets)
      expect(budgets['POST /rounds/:id/invitations']).toBe('invitations');
  });
});

describe('past a budget, on the real services', () => {
  it('refuses a client’s fourth ballot with the documented 429, counted, while others vote', async () => {
    const round = await createRound(vote);
    const ballot = { round_id: round.round_id, option_id: 1 };
    const statuses = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await postJson(vote, '/vote', ballot, { 'x-voter-id': `v${i}` })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await vote.inject({
      method: 'POST',
      url: '/vote',
      payload: ballot,
      headers: { 'x-voter-id': 'v9' },
    });
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error).toBe('rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Another address still votes.
    const other = await vote.inject({
      method: 'POST',
      url: '/vote',
      payload: ballot,
      headers: { 'x-voter-id': 'w1' },
      remoteAddress: '198.51.100.1',
    });
    expect(other.statusCode).toBe(200);
    expect(await openApiProblems(vote, voteResponses)).toEqual([]);

    const page = await scrapeMetrics(vote);
    expect(metricValue(page, 'http_requests_rate_limited_total', 'budget="ballots"')).toBe(2);
    expect(metricValue(page, 'http_requests_rate_limited_total', 'budget="reads"')).toBe(0);
    // The refused ballots were never counted.
    const results = (await getJson(vote, `/rounds/${round.round_id}/results`)).body;
    expect(results.find((row: { option_id: number }) => row.option_id === 1).votes).toBe(4);
  });

  it('refuses reads on the result service past their budget, and never its probes', async () => {
    const round = await createRound(vote);
    const url = `/rounds/${round.round_id}/results`;
    const from = '203.0.113.20';
    const statuses = [];
    for (let i = 0; i < 41; i++)
      statuses.push((await result.inject({ url, remoteAddress: from })).statusCode);
    expect(statuses.slice(0, 40).every((status) => status === 200)).toBe(true);
    expect(statuses[40]).toBe(429);
    for (const probe of ['/health', '/livez', '/openapi.json'])
      expect((await result.inject({ url: probe, remoteAddress: from })).statusCode).toBe(200);
    // Not ready here (its LISTEN connection starts only when the app listens), but never refused.
    expect((await result.inject({ url: '/readyz', remoteAddress: from })).statusCode).toBe(503);
    expect(await openApiProblems(result, resultResponses)).toEqual([]);
    const page = await scrapeMetrics(result);
    expect(metricValue(page, 'http_requests_rate_limited_total', 'budget="reads"')).toBe(1);
  });
});
