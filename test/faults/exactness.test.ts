import http from 'node:http';
import { resultsEqual } from '@voting/domain';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TEST_VOTER_KEY_SECRET } from '../support/apps.ts';
import { ballotBody, type Method, randomChoices, seededRandom } from '../support/ballots.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { requestJson } from '../support/http.ts';
import {
  killService,
  type ServiceProcess,
  startServiceProcess,
  stopServices,
} from '../support/processes.ts';
import {
  negativeAggregateRows,
  pendingChanges,
  recount,
  recountTabulation,
  storedAggregates,
} from '../support/recount.ts';

/**
 * Invariant 3 under faults: two vote and two worker processes on one database; 20,000 votes (many
 * of them revotes) while the workers are SIGKILLed at random moments and restarted; at the end the
 * aggregates of every round equal a recount of its ballots, and every acknowledged ballot is there.
 */

const TOTAL_VOTES = 20_000;
const LANES = 50; // requests in flight at once
const MIN_KILLS = 10;
const VOTERS_PER_LANE = 6; // per revote round: 300 voters casting ~3,300 ballots

let db: TestDatabase;
const votes: ServiceProcess[] = [];
let workers: ServiceProcess[] = [];
const everyProcess: ServiceProcess[] = [];
const agents: http.Agent[] = [];

const serviceEnv = () => ({
  DATABASE_URL: db.url,
  VOTER_KEY_SECRET: TEST_VOTER_KEY_SECRET,
  WORKER_POLL_INTERVAL_MS: '20',
  // Small batches: a worker is nearly always inside a drain transaction when it is killed.
  WORKER_BATCH_SIZE: '50',
  WORKER_TABULATION_INTERVAL_MS: '200',
});

async function startWorker(): Promise<ServiceProcess> {
  const worker = await startServiceProcess('worker', serviceEnv());
  everyProcess.push(worker);
  return worker;
}

beforeAll(async () => {
  db = await createTestDatabase();
  const started = await Promise.all([
    startServiceProcess('vote', serviceEnv()),
    startServiceProcess('vote', serviceEnv()),
    startWorker(),
    startWorker(),
  ]);
  votes.push(started[0] as ServiceProcess, started[1] as ServiceProcess);
  everyProcess.push(...votes);
  workers = [started[2] as ServiceProcess, started[3] as ServiceProcess];
  for (let i = 0; i < votes.length; i++)
    agents.push(new http.Agent({ keepAlive: true, maxSockets: LANES }));
}, 120_000);

afterAll(async () => {
  for (const agent of agents) agent.destroy();
  await stopServices(everyProcess);
  await db?.drop();
});

interface RoundPlan {
  method: Method;
  allowRevote: boolean;
  anonymous: boolean;
  roundId: string;
  adminToken: string;
}

it('keeps every round exact with 2 vote and 2 worker processes while workers are SIGKILLed', async () => {
  const started = Date.now();
  const random = seededRandom(20_000);
  const plans: RoundPlan[] = [];
  for (const [method, allowRevote, anonymous] of [
    ['plurality', false, true],
    ['plurality', true, false],
    ['approval', false, false],
    ['approval', true, false],
    ['ranked', false, false],
    ['ranked', true, false],
  ] as const) {
    const created = await requestJson(
      agents[0] as http.Agent,
      (votes[0] as ServiceProcess).port,
      'POST',
      '/rounds',
      {
        name: `${method}${allowRevote ? ' with revotes' : ''}`,
        options: ['A', 'B', 'C', 'D', 'E'],
        method,
        allow_revote: allowRevote,
      },
    );
    expect(created.status).toBe(201);
    plans.push({
      method,
      allowRevote,
      anonymous,
      roundId: created.body.round_id,
      adminToken: created.body.admin_token,
    });
  }

  // What the vote processes acknowledged. Each lane sends one request at a time, so one voter's
  // revotes (always from the same lane) are ordered: the last acknowledged one must be stored.
  const acknowledged = new Map<string, Set<string>>(plans.map((plan) => [plan.roundId, new Set()]));
  const lastReceipt = new Map<string, string>(); // `${round} ${voter}` → receipt
  const failures: string[] = [];
  let sent = 0;
  let votingDone = false;

  const lane = async (laneIndex: number) => {
    const laneRandom = seededRandom(laneIndex + 1);
    let n = 0;
    while (sent < TOTAL_VOTES) {
      const index = sent++;
      n++;
      const plan = plans[Math.floor(laneRandom() * plans.length)] as RoundPlan;
      const target = index % votes.length;
      const voter = plan.anonymous
        ? undefined
        : plan.allowRevote
          ? `lane${laneIndex}-voter${Math.floor(laneRandom() * VOTERS_PER_LANE)}`
          : `lane${laneIndex}-ballot${n}`;
      const answer = await requestJson(
        agents[target] as http.Agent,
        (votes[target] as ServiceProcess).port,
        'POST',
        '/vote',
        ballotBody(plan.method, plan.roundId, randomChoices(plan.method, 5, laneRandom)),
        voter ? { 'x-voter-id': voter } : {},
      );
      if (answer.status !== 200) {
        failures.push(`${answer.status} ${JSON.stringify(answer.body)}`);
        continue;
      }
      (acknowledged.get(plan.roundId) as Set<string>).add(answer.body.receipt);
      if (plan.allowRevote) lastReceipt.set(`${plan.roundId} ${voter}`, answer.body.receipt);
    }
  };

  // The chaos: kill a random worker at a random moment, restart it, again and again.
  const kills: { pending: number; atMs: number }[] = [];
  const chaos = async () => {
    while (!votingDone || kills.length < MIN_KILLS) {
      // Deliberately random pauses: the kills land at unpredictable moments of the work.
      await new Promise((resolve) => setTimeout(resolve, 100 + random() * 400));
      const index = Math.floor(random() * workers.length);
      const victim = workers[index] as ServiceProcess;
      kills.push({ pending: await pendingChanges(db.pool), atMs: Date.now() - started });
      await killService(victim, 'SIGKILL');
      expect(victim.child.signalCode).toBe('SIGKILL');
      workers[index] = await startWorker();
      if (kills.length > 40) break; // bounded, whatever happens
    }
  };

  const chaosDone = chaos();
  await Promise.all(Array.from({ length: LANES }, (_, i) => lane(i)));
  votingDone = true;
  const votedAt = Date.now();
  await chaosDone;

  expect(failures.slice(0, 5)).toEqual([]);
  expect(sent).toBeGreaterThanOrEqual(TOTAL_VOTES);
  expect(kills.length).toBeGreaterThanOrEqual(MIN_KILLS);
  // Most kills land while work is waiting, so some of them interrupt a drain.
  expect(kills.filter((kill) => kill.pending > 0).length).toBeGreaterThan(0);

  // The surviving workers drain the rest.
  await expect.poll(() => pendingChanges(db.pool), { timeout: 30_000, interval: 50 }).toBe(0);

  for (const plan of plans) {
    const where = `${plan.method}${plan.allowRevote ? ' (revotes)' : ''}`;
    const truth = await recount(db.pool, plan.roundId);
    expect(await storedAggregates(db.pool, plan.roundId), where).toEqual(truth);
    expect(await negativeAggregateRows(db.pool, plan.roundId), where).toBe(0);

    const stored = new Set(
      (
        await db.pool.query<{ receipt: string }>(
          'SELECT receipt FROM ballots WHERE round_id = $1',
          [plan.roundId],
        )
      ).rows.map((row) => row.receipt),
    );
    const acked = acknowledged.get(plan.roundId) as Set<string>;
    if (plan.allowRevote) {
      // Exactly one ballot per voter: the last one acknowledged.
      const latest = new Set(
        [...lastReceipt]
          .filter(([key]) => key.startsWith(plan.roundId))
          .map(([, receipt]) => receipt),
      );
      expect(stored.size, where).toBe(latest.size);
      expect(
        [...latest].filter((receipt) => !stored.has(receipt)),
        where,
      ).toEqual([]);
      expect(acked.size, where).toBeGreaterThan(latest.size * 5);
    } else {
      // Every acknowledged ballot is stored, and nothing else.
      expect(stored.size, where).toBe(acked.size);
      expect(
        [...acked].filter((receipt) => !stored.has(receipt)),
        where,
      ).toEqual([]);
    }
    expect(truth.ballots, where).toBe(stored.size);
  }

  // Open ranked rounds: the stored tabulation catches up with the ballots, even when the worker
  // that applied the last changes was killed before it could re-tabulate.
  const storedTabulation = async (roundId: string) =>
    (await db.pool.query('SELECT result FROM round_results WHERE round_id = $1', [roundId])).rows[0]
      ?.result;
  for (const plan of plans.filter((p) => p.method === 'ranked')) {
    const expected = await recountTabulation(db.pool, plan.roundId);
    await expect
      .poll(
        async () => {
          const stored = await storedTabulation(plan.roundId);
          return Boolean(stored && resultsEqual(stored, expected));
        },
        { timeout: 15_000, interval: 50 },
      )
      .toBe(true);
    expect(await storedTabulation(plan.roundId), 'ranked tabulation').toEqual(expected);
  }

  // Close every round: each is finalized once, with the recount's figures.
  for (const plan of plans) {
    const closed = await requestJson(
      agents[1] as http.Agent,
      (votes[1] as ServiceProcess).port,
      'POST',
      `/rounds/${plan.roundId}/close`,
      {},
      { authorization: `Bearer ${plan.adminToken}` },
    );
    expect(closed.status).toBe(200);
  }
  const ids = plans.map((plan) => plan.roundId);
  const finals = async () =>
    (
      await db.pool.query<{ round_id: string; result: unknown }>(
        'SELECT round_id, result FROM round_results WHERE round_id = ANY($1) AND final',
        [ids],
      )
    ).rows;
  await expect
    .poll(async () => (await finals()).length, { timeout: 20_000, interval: 50 })
    .toBe(plans.length);
  const stored = await finals();
  expect(stored).toHaveLength(plans.length);
  for (const row of stored)
    expect(row.result, 'final result').toEqual(await recountTabulation(db.pool, row.round_id));

  const errorLines = everyProcess.flatMap((service) =>
    service.output.filter((line) => line.includes('"level":50')),
  );
  console.info(
    `exactness: ${sent} votes in ${((votedAt - started) / 1000).toFixed(1)} s, ` +
      `${kills.length} worker SIGKILLs (${kills.filter((kill) => kill.pending > 0).length} with changes pending), ` +
      `${((Date.now() - started) / 1000).toFixed(1)} s in all; ${errorLines.length} error log lines` +
      errorLines
        .slice(0, 3)
        .map((line) => `\n  ${line.slice(0, 300)}`)
        .join(''),
  );
}, 150_000);
