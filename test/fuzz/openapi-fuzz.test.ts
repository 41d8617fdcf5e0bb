import { randomUUID } from 'node:crypto';
import type { HttpApp } from '@voting/runtime';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, testResultApp, testVoteApp, testWorkerApp } from '../support/apps.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import {
  type FuzzRequest,
  hostileText,
  type Known,
  percentEncode,
  requestsFor,
} from './arbitraries.ts';
import { problemWith, send, sendAndCompare, Tally } from './exercise.ts';
import { storedFingerprint } from './fingerprint.ts';
import { type Operation, operationName, operationsOf } from './operations.ts';

/**
 * Property-based HTTP fuzzing generated from each service's own /openapi.json (issue 12, item 7;
 * invariant 7): for every documented operation of vote, result and worker, requests valid-looking
 * and hostile — wrong types, huge numbers, unicode, NUL, lone surrogates, urn:/brace/uppercase
 * uuids, missing and extra fields, wrong content types, empty and broken bodies, other methods —
 * sent with `inject`. Every answer: no 5xx, a JSON `{error, message}` for every 4xx, within 2 s;
 * every refused request that could write leaves the database's fingerprint as it was; every 201
 * round echoes exactly what was stored.
 *
 * FUZZ_SEED replays a run (the seed is printed); FUZZ_RUNS sets the requests per operation.
 */
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const RUNS_PER_OPERATION = Number(process.env.FUZZ_RUNS ?? 360);
/** Requests per run across every route (issue 12); a smaller FUZZ_RUNS replays a part only. */
const MIN_TOTAL = process.env.FUZZ_RUNS === undefined ? 5_000 : 0;

let db: TestDatabase;
let apps: Record<'vote' | 'result' | 'worker', HttpApp>;
const known: Known = { roundIds: [], receipts: [], adminTokens: [], examples: { '/vote': [] } };

beforeAll(async () => {
  db = await createTestDatabase();
  apps = {
    vote: await testVoteApp(db.url, db.pool),
    result: await testResultApp(db.url, db.pool),
    worker: (await testWorkerApp(db.url, db.pool)).app,
  };
  // The result service listens, as deployed, so that its LISTEN connection is up and /readyz is
  // 200. The worker does not: its loop would drain ballot changes under the fingerprints.
  await apps.result.listen({ port: 0, host: '127.0.0.1' });
  // Rounds of every method and setting, with ballots, so that requests reach deep into routes.
  const settings = [
    { options: ['Pizza', 'Sushi', 'Tacos'] },
    { method: 'approval', options: ['a', 'b', 'c', 'd'], max_choices: 2 },
    { method: 'ranked', options: ['x', 'y', 'z'] },
    { method: 'condorcet', options: ['x', 'y', 'z'], public_ballots: true },
    { results: 'after_close', options: ['p', 'q'] },
    { allow_revote: true, options: ['r', 's', 't'] },
    { method: 'approval', allow_revote: true, options: ['u', 'v'] },
    { name: 'closed', options: ['m', 'n'] },
  ];
  for (const round of settings) {
    const created = await postJson(apps.vote, '/rounds', round);
    expect(created.status).toBe(201);
    known.roundIds.push(created.body.round_id);
    known.adminTokens.push(created.body.admin_token);
    const ballot =
      round.method === 'approval'
        ? { option_ids: [1, 2] }
        : round.method
          ? { ranking: [2, 1] }
          : { option_id: 1 };
    const cast = await postJson(apps.vote, '/vote', { round_id: created.body.round_id, ...ballot });
    expect(cast.status).toBe(200);
    known.receipts.push(cast.body.receipt);
    known.examples['/vote']?.push({ round_id: created.body.round_id, ...ballot });
  }
  const closed = known.roundIds.length - 1;
  await apps.vote.inject({
    method: 'POST',
    url: `/rounds/${known.roundIds[closed]}/close`,
    headers: { authorization: `Bearer ${known.adminTokens[closed]}` },
  });
  known.roundIds.push(randomUUID()); // one that does not exist
});

afterAll(async () => {
  for (const app of Object.values(apps ?? {})) await app.close();
  await db?.drop();
});

/** The stored name and labels of a round, to hold a 201 to what it echoed. */
async function storedRound(roundId: string) {
  const { rows } = await db.pool.query(
    `SELECT r.name, array_agg(o.label ORDER BY o.option_id) AS labels
     FROM rounds r JOIN options o USING (round_id) WHERE r.round_id = $1 GROUP BY r.name`,
    [roundId],
  );
  return rows[0] as { name: string; labels: string[] } | undefined;
}

describe('fuzzing every documented route from its OpenAPI (invariant 7)', () => {
  it('answers every request without a 5xx, with a JSON error for every 4xx, within 2 s, storing nothing it refused', {
    timeout: 300_000,
  }, async () => {
    console.log(`openapi fuzz: seed ${SEED} (replay with FUZZ_SEED=${SEED})`);
    const started = performance.now();
    const tally = new Tally();
    const operations: Operation[] = [];
    for (const service of ['vote', 'result', 'worker'] as const)
      operations.push(...(await operationsOf(apps[service], service)));
    // Closing comes last: a close that succeeds ends voting in a known round for good.
    operations.sort(
      (a, b) => Number(a.path.endsWith('/close')) - Number(b.path.endsWith('/close')),
    );
    // The worker documents no route of its own: its probes are fuzzed below.
    expect(operations.filter((o) => o.service === 'vote').length).toBeGreaterThanOrEqual(8);
    expect(operations.filter((o) => o.service === 'result').length).toBeGreaterThanOrEqual(5);

    for (const [index, operation] of operations.entries()) {
      const app = apps[operation.service as keyof typeof apps];
      const route = operationName(operation);
      // Reads are checked by the batch: the fingerprint after all of them is the one before,
      // unless a request of another method (some are sent to every route) was accepted.
      const batchBefore = await storedFingerprint(db.pool);
      let acceptedWrites = 0;
      await fc.assert(
        fc.asyncProperty(requestsFor(operation, known), async (request) => {
          const writes = request.method !== 'GET' && request.method !== 'HEAD';
          const { answer, changedByRefusal } = writes
            ? await sendAndCompare(app, db.pool, request, operation.streams)
            : { answer: await send(app, request, operation.streams), changedByRefusal: null };
          if (writes && answer.status < 400) acceptedWrites++;
          tally.count(route, answer.status);
          const problem = problemWith(answer);
          if (problem) throw new Error(`${request.method} ${request.url}: ${problem}`);
          if (changedByRefusal)
            throw new Error(
              `${request.method} ${request.url} was refused (${answer.status}) yet stored: ${changedByRefusal}`,
            );
          if (operation.path === '/rounds' && request.method === 'POST' && answer.status === 201) {
            const created = JSON.parse(answer.body);
            const stored = await storedRound(created.round_id);
            expect(stored).toEqual({
              name: created.name,
              labels: created.options.map((o: { label: string }) => o.label),
            });
          }
        }),
        { seed: SEED + index, numRuns: RUNS_PER_OPERATION },
      );
      if (acceptedWrites === 0) expect(await storedFingerprint(db.pool), route).toBe(batchBefore);
    }

    // Routes outside the OpenAPI documents: probes, metrics, the pages and their assets.
    const before = await storedFingerprint(db.pool);
    const id = known.roundIds[0] ?? randomUUID();
    const paths = [
      '/health',
      '/livez',
      '/readyz',
      '/metrics',
      '/openapi.json',
      '/',
      '/new',
      `/r/${id}`,
      `/r/${id.toUpperCase()}/results`,
      `/r/urn:uuid:${id}/manage`,
      '/r/%zz',
      '/web-config.json',
      '/assets/home.js',
      '/assets/nothing.js',
      '/assets/../package.json',
      '/assets/%2e%2e/%2e%2e/package.json',
      '/assets/%00',
      '/assets/%',
      '/health/%zz',
      '//health',
      '/health?%zz',
    ];
    const pages = fc.record({
      path: fc.constantFrom(...paths),
      method: fc.constantFrom(
        'GET',
        'GET',
        'HEAD',
        'POST',
        'PUT',
        'DELETE',
        'OPTIONS',
        'TRACE',
        'CONNECT',
      ),
      extra: fc.oneof(
        fc.constant(''),
        hostileText.map((text) => `?q=${percentEncode(text)}`),
      ),
      type: fc.constantFrom(undefined, 'application/json', 'text/plain'),
      payload: fc.constantFrom(undefined, '', '{}', '{'),
    });
    for (const [service, app] of Object.entries(apps)) {
      await fc.assert(
        fc.asyncProperty(pages, async ({ path, method, extra, type, payload }) => {
          const request: FuzzRequest = {
            method,
            url: `${path}${extra}`,
            headers: type ? { 'content-type': type } : {},
            payload,
          };
          const answer = await send(app, request, false);
          tally.count(`${service} (outside the OpenAPI)`, answer.status);
          // A page answers 503 web_not_built when `npm run build:web` has not run: the
          // deployment's fault, not the input's.
          const problem = problemWith(answer, ['web_not_built']);
          if (problem) throw new Error(`${service} ${method} ${request.url}: ${problem}`);
        }),
        { seed: SEED, numRuns: 100 },
      );
    }
    expect(await storedFingerprint(db.pool)).toBe(before);

    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `openapi fuzz: ${tally.total} requests in ${seconds} s, seed ${SEED}\n${tally.report()}`,
    );
    for (const operation of operations)
      expect(tally.sent(operationName(operation))).toBeGreaterThanOrEqual(RUNS_PER_OPERATION);
    expect(tally.total).toBeGreaterThanOrEqual(MIN_TOTAL);
  });
});
