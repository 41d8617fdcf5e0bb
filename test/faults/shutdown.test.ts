import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TEST_VOTER_KEY_SECRET } from '../support/apps.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { requestJson } from '../support/http.ts';
import { type ServiceProcess, startServiceProcess, stopServices } from '../support/processes.ts';

/**
 * Graceful shutdown under load (issue 12, item 5): with ~50 requests in flight on keep-alive
 * connections, SIGTERM to the vote service. Every request sent before the signal gets a complete
 * HTTP answer — its real one, or a 503 JSON error if it arrived after closing began — and none is
 * cut (ECONNRESET, socket hang up). Requests sent after it may also be refused (ECONNREFUSED: new
 * connections are not accepted). Every vote answered 2xx is stored.
 */

const LANES = 50;

let db: TestDatabase;
let vote: ServiceProcess;

beforeAll(async () => {
  db = await createTestDatabase();
  vote = await startServiceProcess('vote', {
    DATABASE_URL: db.url,
    VOTER_KEY_SECRET: TEST_VOTER_KEY_SECRET,
  });
}, 120_000);

afterAll(async () => {
  await stopServices([vote]);
  await db?.drop();
});

interface Outcome {
  sentAt: number;
  status: number;
  body: unknown;
  voter: string;
  kind: 'vote' | 'read';
}

it('answers every request received before SIGTERM and cuts none', async () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: LANES });
  const created = await requestJson(agent, vote.port, 'POST', '/rounds', { name: 'shutdown' });
  expect(created.status).toBe(201);
  const roundId: string = created.body.round_id;

  const outcomes: Outcome[] = [];
  let signalledAt = Number.POSITIVE_INFINITY;
  let serviceGone = false;
  vote.exited.then(() => {
    serviceGone = true;
  });

  const lane = async (index: number) => {
    for (let n = 0; !serviceGone; n++) {
      const voter = `lane${index}-vote${n}`;
      const kind = n % 5 === 4 ? 'read' : 'vote';
      const sentAt = performance.now();
      const answer =
        kind === 'vote'
          ? await requestJson(
              agent,
              vote.port,
              'POST',
              '/vote',
              { round_id: roundId, option_id: 1 + (n % 2) },
              { 'x-voter-id': voter },
            )
          : await requestJson(agent, vote.port, 'GET', `/rounds/${roundId}`);
      outcomes.push({ sentAt, status: answer.status, body: answer.body, voter, kind });
      // After the signal, a refused connection means this lane is done.
      if (answer.status === 0 && sentAt > signalledAt) return;
    }
  };

  const lanes = Promise.all(Array.from({ length: LANES }, (_, i) => lane(i)));
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const inFlightBefore = outcomes.length;
  signalledAt = performance.now();
  process.kill(vote.child.pid as number, 'SIGTERM');
  await vote.exited;
  await lanes;
  agent.destroy();

  const before = outcomes.filter((outcome) => outcome.sentAt < signalledAt);
  const after = outcomes.filter((outcome) => outcome.sentAt >= signalledAt);
  const complete = (outcome: Outcome) =>
    outcome.status === 200 ||
    (outcome.status === 503 &&
      typeof (outcome.body as { error?: unknown }).error === 'string' &&
      typeof (outcome.body as { message?: unknown }).message === 'string');
  const cut = before.filter((outcome) => !complete(outcome));
  expect(
    cut.slice(0, 5).map((outcome) => `${outcome.status} ${JSON.stringify(outcome.body)}`),
  ).toEqual([]);
  // After the signal: an answer (real or 503), or a refused connection; never a cut one.
  const cutAfter = after.filter(
    (outcome) => !complete(outcome) && !String(outcome.body).includes('ECONNREFUSED'),
  );
  expect(
    cutAfter.slice(0, 5).map((outcome) => `${outcome.status} ${JSON.stringify(outcome.body)}`),
  ).toEqual([]);
  expect(vote.child.exitCode).toBe(0);

  // Every vote answered 2xx is stored.
  const accepted = outcomes.filter((outcome) => outcome.kind === 'vote' && outcome.status === 200);
  const stored = new Set(
    (
      await db.pool.query<{ receipt: string }>('SELECT receipt FROM ballots WHERE round_id = $1', [
        roundId,
      ])
    ).rows.map((row) => row.receipt),
  );
  expect(
    accepted.filter((outcome) => !stored.has((outcome.body as { receipt: string }).receipt)),
  ).toEqual([]);
  expect(stored.size).toBe(accepted.length);

  const count = (list: Outcome[], status: number) => list.filter((o) => o.status === status).length;
  console.info(
    `shutdown: ${before.length - inFlightBefore} requests in flight at SIGTERM; of all sent ` +
      `before it ${count(before, 200)} 200, ${count(before, 503)} 503; of the ${after.length} ` +
      `sent after it ${count(after, 200)} 200 (connections already open), ${count(after, 503)} ` +
      `503, ${count(after, 0)} refused (new connections); none cut`,
  );
}, 60_000);
