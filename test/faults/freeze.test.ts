import { rm } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  createClient,
  createDatabaseIfMissing,
  DEFAULT_STATEMENT_TIMEOUT_MS,
  databaseUrl,
  dropDatabaseIfExists,
  type EmbeddedDatabase,
  migrateDatabase,
  passwordFileOf,
  startEmbeddedDatabase,
} from '@voting/db';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { voterKey } from '../../services/vote/src/voter-key.ts';
import { TEST_VOTER_KEY_SECRET } from '../support/apps.ts';
import { requestJson } from '../support/http.ts';
import {
  freePort,
  freezeProcessTree,
  type ServiceProcess,
  startServiceProcess,
  stopServices,
} from '../support/processes.ts';

/**
 * Chaos (issue 12, items 4 and 7): the database frozen (SIGSTOP of the postmaster and every one
 * of its processes, as a hung VM or a stalled disk would) under load, then thawed, three times.
 *
 * - every vote answers within the statement timeout (503, not a hang) during the freeze;
 * - /readyz answers within 1 s (503) during the freeze;
 * - no vote is committed after its request was answered with an error: each ballot's commit
 *   time (`track_commit_timestamp`) comes before its answer. A vote answered 503
 *   `database_unavailable` is not in the table at all; one answered `outcome_unknown` (its commit
 *   was in flight) may be, committed before its answer (counted, reported);
 * - every vote answered 2xx is stored, and voting works again by itself.
 *
 * The frozen server is one of the test's own (a folder under .data/ and a port of this run),
 * never the shared test server.
 */

// Per process, so two test runs at once never share (or stop) each other's server.
const DATA_DIRECTORY = path.resolve(import.meta.dirname, `../../.data/freeze-test-${process.pid}`);
const DATABASE = 'voting_freeze';
const LANES = 40; // votes in flight at once: half first ballots (group commit), half revotes
const FREEZES = 3;
const FREEZE_MS = 8000; // longer than the statement timeout: every vote in flight times out
// What "within the statement timeout" may add: the event loop, the 503 itself, a loaded machine
// (the suite runs two files at once on two cores).
const SLACK_MS = 2000;
const TIMEOUT_MS = DEFAULT_STATEMENT_TIMEOUT_MS;

let server: EmbeddedDatabase;
let url: string;
let vote: ServiceProcess | undefined;
let thaw: (() => void) | undefined;

beforeAll(async () => {
  server = await startEmbeddedDatabase({
    dataDirectory: DATA_DIRECTORY,
    port: await freePort(),
    settings: { track_commit_timestamp: 'on' },
  });
  await dropDatabaseIfExists(server.url, DATABASE);
  await createDatabaseIfMissing(server.url, DATABASE);
  url = databaseUrl(server.url, DATABASE);
  await migrateDatabase(url);
  vote = await startServiceProcess('vote', {
    DATABASE_URL: url,
    VOTER_KEY_SECRET: TEST_VOTER_KEY_SECRET,
  });
}, 120_000);

afterAll(async () => {
  thaw?.(); // whatever failed, never leave a frozen server behind
  if (vote) await stopServices([vote]);
  await server?.stop();
  await rm(DATA_DIRECTORY, { recursive: true, force: true });
  await rm(passwordFileOf(DATA_DIRECTORY), { force: true });
});

interface Answer {
  round: 'first' | 'revote';
  voter: string;
  sentAt: number;
  /** `Date.now()` when the answer arrived: comparable with the server's commit timestamps. */
  answeredAt: number;
  ms: number;
  status: number;
  body: { error?: string; receipt?: string } & Record<string, unknown>;
}

it('answers votes 503 within the statement timeout while the database is frozen, and commits none of them after the thaw', async () => {
  const service = vote as ServiceProcess;
  const agent = new http.Agent({ keepAlive: true, maxSockets: LANES + 2 });
  const create = async (allowRevote: boolean) => {
    const created = await requestJson(agent, service.port, 'POST', '/rounds', {
      name: allowRevote ? 'freeze, revotes' : 'freeze',
      allow_revote: allowRevote,
    });
    expect(created.status).toBe(201);
    return created.body.round_id as string;
  };
  const rounds = { first: await create(false), revote: await create(true) };

  const answers: Answer[] = [];
  const probes: { at: number; ms: number; status: number }[] = [];
  let running = true;
  const lane = async (index: number) => {
    const round = index % 2 === 0 ? 'first' : 'revote';
    for (let n = 0; running; n++) {
      // First ballots: a new voter each time. Revotes: one voter per lane, so its ballots are
      // ordered and its stored ballot must be its last one answered 2xx.
      const voter = round === 'first' ? `lane${index}-ballot${n}` : `lane${index}`;
      const sentAt = performance.now();
      const answer = await requestJson(
        agent,
        service.port,
        'POST',
        '/vote',
        { round_id: rounds[round], option_id: 1 + (n % 2) },
        { 'x-voter-id': voter },
      );
      answers.push({
        round,
        voter,
        sentAt,
        answeredAt: Date.now(),
        ms: performance.now() - sentAt,
        status: answer.status,
        body: answer.body,
      });
      // While the database is away, do not spin: a client would back off too.
      if (answer.status !== 200) await sleep(50);
    }
  };
  const prober = async () => {
    while (running) {
      const at = performance.now();
      const answer = await requestJson(agent, service.port, 'GET', '/readyz');
      probes.push({ at, ms: performance.now() - at, status: answer.status });
      await sleep(250);
    }
  };

  // Warm up first (connections opened, code compiled): a cold start under load is not the test.
  for (let n = 0; n < 10; n++) {
    for (const round of ['first', 'revote'] as const) {
      const voter = `warm-up-${round}-${n}`;
      const sentAt = performance.now();
      const answer = await requestJson(
        agent,
        service.port,
        'POST',
        '/vote',
        { round_id: rounds[round], option_id: 1 },
        { 'x-voter-id': voter },
      );
      const ms = performance.now() - sentAt;
      const answeredAt = Date.now();
      answers.push({
        round,
        voter,
        sentAt,
        answeredAt,
        ms,
        status: answer.status,
        body: answer.body,
      });
    }
  }
  const load = Promise.all([...Array.from({ length: LANES }, (_, i) => lane(i)), prober()]);
  const measuredFrom = performance.now() + 1000;
  await sleep(2000);
  const postmaster = await server.pid();
  expect(postmaster).not.toBeNull();
  // Several freezes, each at a random moment of the work (a statement arriving, running,
  // committing), each long enough for every vote in flight to time out.
  const freezes: { frozenAt: number; thawedAt: number; recoveredAt: number }[] = [];
  for (let round = 0; round < FREEZES; round++) {
    await sleep(Math.random() * 300);
    const frozenAt = performance.now();
    thaw = freezeProcessTree(postmaster as number);
    await sleep(FREEZE_MS);
    thaw();
    const thawedAt = performance.now();
    // Voting works again by itself: a vote sent after the thaw is accepted within seconds.
    let recoveredAt = Number.NaN;
    for (const deadline = thawedAt + 20_000; performance.now() < deadline; ) {
      const accepted = answers.find((a) => a.sentAt > thawedAt && a.status === 200);
      if (accepted) {
        recoveredAt = accepted.sentAt + accepted.ms;
        break;
      }
      await sleep(100);
    }
    freezes.push({ frozenAt, thawedAt, recoveredAt });
    await sleep(1500);
  }
  running = false;
  await load;
  agent.destroy();

  const frozen = (at: number, after = 0) =>
    freezes.some((f) => at >= f.frozenAt + after && at < f.thawedAt);
  // During a freeze: every vote answered is 503, within the timeout; none hangs. (A vote answered
  // in its first half second may still be one the database committed just before it.)
  const duringFreeze = answers.filter((a) => frozen(a.sentAt + a.ms, 500));
  expect(duringFreeze.length).toBeGreaterThan(LANES * FREEZES);
  expect(duringFreeze.filter((a) => a.status !== 503).map(show)).toEqual([]);
  // And no vote at all, before, during or after a freeze, waited longer than the timeout.
  expect(
    answers.filter((a) => a.sentAt >= measuredFrom && a.ms > TIMEOUT_MS + SLACK_MS).map(show),
  ).toEqual([]);
  expect(answers.filter((a) => a.status === 0).map(show)).toEqual([]);
  expect(freezes.filter((f) => Number.isNaN(f.recoveredAt))).toEqual([]);

  // /readyz answers within 1 s while the database is frozen: 503, not a hang.
  const frozenProbes = probes.filter((p) => frozen(p.at - 100) && frozen(p.at + 1000));
  expect(frozenProbes.length).toBeGreaterThan(5 * FREEZES);
  expect(frozenProbes.filter((p) => p.status !== 503 || p.ms > 1000)).toEqual([]);

  // After the thaw (abandoned transactions have rolled back by now), compare with the table.
  const client = createClient(url);
  await client.connect();
  const stored = async (roundId: string) =>
    new Map(
      (
        await client.query<{ voter_key: Buffer; receipt: string; committed_at: Date }>(
          `SELECT voter_key, receipt, pg_xact_commit_timestamp(xmin) AS committed_at
           FROM ballots WHERE round_id = $1`,
          [roundId],
        )
      ).rows.map((row) => [row.voter_key.toString('hex'), row]),
    );
  const firstStored = await stored(rounds.first);
  const revoteStored = await stored(rounds.revote);
  await client.end();
  const keyOf = (round: 'first' | 'revote', voter: string) =>
    voterKey(TEST_VOTER_KEY_SECRET, rounds[round], voter).toString('hex');
  const unknown = answers.filter((a) => a.body?.error === 'outcome_unknown');
  const refused = answers.filter((a) => a.status !== 200 && a.body?.error !== 'outcome_unknown');

  // First ballots (a voter per vote): every 2xx stored with its receipt; no refused one stored;
  // every one stored committed before its answer, whatever the answer.
  const first = answers.filter((a) => a.round === 'first');
  expect(
    first
      .filter(
        (a) =>
          a.status === 200 && firstStored.get(keyOf('first', a.voter))?.receipt !== a.body.receipt,
      )
      .map(show),
  ).toEqual([]);
  expect(
    first
      .filter((a) => {
        const row = firstStored.get(keyOf('first', a.voter));
        return row !== undefined && row.committed_at.getTime() > a.answeredAt;
      })
      .map(show),
  ).toEqual([]);
  expect(
    refused
      .filter((a) => a.round === 'first' && firstStored.has(keyOf('first', a.voter)))
      .map(show),
  ).toEqual([]);
  const firstUnknown = unknown.filter((a) => a.round === 'first');
  const unknownCounted = firstUnknown.filter((a) => firstStored.has(keyOf('first', a.voter)));
  expect(firstStored.size).toBe(
    first.filter((a) => a.status === 200).length + unknownCounted.length,
  );

  // Revotes: each voter's stored ballot is its last one answered 2xx, unless a vote whose
  // outcome is unknown came after it: then either, and if that one, committed before its answer.
  const wrongRevotes: string[] = [];
  for (let index = 1; index < LANES; index += 2) {
    const voter = `lane${index}`;
    const mine = answers.filter((a) => a.round === 'revote' && a.voter === voter);
    const lastAccepted = mine.findLast((a) => a.status === 200);
    const lastUnknown = mine.findLast((a) => a.body?.error === 'outcome_unknown');
    const row = revoteStored.get(keyOf('revote', voter));
    const receipt = row?.receipt;
    if (lastUnknown && (!lastAccepted || lastUnknown.sentAt > lastAccepted.sentAt)) {
      if (
        receipt !== lastAccepted?.body.receipt &&
        row &&
        row.committed_at.getTime() > lastUnknown.answeredAt
      )
        wrongRevotes.push(`${voter}: its last vote was committed after its answer`);
      continue;
    }
    if (receipt !== lastAccepted?.body.receipt)
      wrongRevotes.push(`${voter}: stored ${receipt}, last 2xx ${lastAccepted?.body.receipt}`);
  }
  expect(wrongRevotes).toEqual([]);

  const frozenMs = duringFreeze.map((a) => a.ms).sort((a, b) => a - b);
  const recovery = freezes.map((f) => ((f.recoveredAt - f.thawedAt) / 1000).toFixed(1));
  const quantile = (q: number) =>
    frozenMs[Math.min(frozenMs.length - 1, Math.floor(q * frozenMs.length))] ?? 0;
  const codes = new Map<string, number>();
  for (const a of refused)
    codes.set(`${a.status} ${a.body?.error}`, (codes.get(`${a.status} ${a.body?.error}`) ?? 0) + 1);
  console.info(
    `freeze: ${answers.length} votes (${answers.filter((a) => a.status === 200).length} accepted), ` +
      `${FREEZES} × ${FREEZE_MS / 1000} s frozen; votes answered during a freeze in p50 ${quantile(0.5).toFixed(0)} ms, ` +
      `max ${quantile(1).toFixed(0)} ms (timeout ${TIMEOUT_MS} ms); refused: ${[...codes].map(([c, n]) => `${n}× ${c}`).join(', ')}; ` +
      `outcome_unknown: ${unknown.length} (${unknownCounted.length} of the first ballots counted); ` +
      `/readyz during them: max ${Math.max(...frozenProbes.map((p) => p.ms)).toFixed(0)} ms; ` +
      `voting again ${recovery.join(' / ')} s after each thaw`,
  );
}, 90_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const show = (a: Answer) =>
  `${a.round} ${a.voter}: ${a.status} ${a.body?.error ?? ''} after ${a.ms.toFixed(0)} ms`;
