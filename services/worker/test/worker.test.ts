import { createPool, drainBallotChanges, type Pool, storeResult } from '@voting/db';
import { METHODS } from '@voting/domain';
import type { HttpApp } from '@voting/runtime';
import { scrapeMetrics } from '@voting/service';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testVoteApp, testWorkerApp } from '../../../test/support/apps.ts';
import {
  castBallot,
  closeRoundAsAdmin,
  createRound,
  fullResult,
  type Method,
  randomChoices,
  seededRandom,
} from '../../../test/support/ballots.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import {
  metricValue,
  negativeAggregateRows,
  pendingChanges,
  recount,
  storedAggregates,
} from '../../../test/support/recount.ts';
import { hostAndPort, TcpProxy, throughProxy } from '../../../test/support/tcp-proxy.ts';
import type { WorkerApp } from '../src/app.ts';

let db: TestDatabase;
let vote: HttpApp;
let worker: WorkerApp;
const extraApps: { close: () => Promise<unknown> }[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  vote = await testVoteApp(db.url, db.pool);
  // Tabulation interval 0: every runOnce refreshes a changed ranked round, so steps are exact.
  worker = await testWorkerApp(db.url, db.pool, { WORKER_TABULATION_INTERVAL_MS: '0' });
});
afterAll(async () => {
  for (const app of extraApps.reverse()) await app.close();
  await worker.app.close();
  await vote.close();
  await db.drop();
});

/** Steps a loop until nothing is pending; bounded, so a stuck drain fails instead of hanging. */
async function drain(loop: WorkerApp['loop'], maxLoops = 50): Promise<number> {
  for (let loops = 1; loops <= maxLoops; loops++) {
    await loop.runOnce();
    if ((await pendingChanges(db.pool)) === 0) return loops;
  }
  throw new Error(`still ${await pendingChanges(db.pool)} pending changes after ${maxLoops} loops`);
}

async function scrape(app: HttpApp): Promise<string> {
  return scrapeMetrics(app);
}

describe('aggregation', () => {
  it.each<[Method, boolean]>(
    METHODS.flatMap((method) => [
      [method, false] as [Method, boolean],
      [method, true] as [Method, boolean],
    ]),
  )(
    'drains %s rounds (revote %s) into aggregates equal to a recount of the ballots',
    async (method, allowRevote) => {
      const round = await createRound(vote, {
        method,
        allow_revote: allowRevote,
        options: ['A', 'B', 'C', 'D'],
      });
      const random = seededRandom(method.length * 7 + Number(allowRevote));
      let revotes = 0;
      for (let i = 0; i < 120; i++) {
        // With revoting, 15 voters cast 120 ballots: most are replacements.
        const voter = allowRevote ? `voter-${i % 15}` : `voter-${i}`;
        const cast = await castBallot(
          vote,
          method,
          round.round_id,
          randomChoices(method, 4, random),
          voter,
        );
        if (cast.replaced) revotes++;
      }
      expect(revotes).toBe(allowRevote ? 105 : 0);
      const truth = await recount(db.pool, round.round_id);
      expect(truth.ballots).toBe(allowRevote ? 15 : 120);
      expect(await pendingChanges(db.pool, round.round_id)).toBeGreaterThan(0);

      // Before the drain the live result already equals the recount (aggregates + pending changes).
      const before = await fullResult(vote, round.round_id);
      expect(before.total_ballots).toBe(truth.ballots);

      await drain(worker.loop);
      expect(await pendingChanges(db.pool, round.round_id)).toBe(0);
      expect(await storedAggregates(db.pool, round.round_id)).toEqual(truth);
      expect(await negativeAggregateRows(db.pool, round.round_id)).toBe(0);

      const after = await fullResult(vote, round.round_id);
      expect(after.total_ballots).toBe(truth.ballots);
      for (const row of after.results as { option_id: number; votes: number }[])
        expect(row.votes).toBe(truth.tallies[row.option_id] ?? 0);
    },
  );

  it('stays exact when two workers drain the same backlog side by side in small batches', async () => {
    const pool2 = createPool({ connectionString: db.url, max: 5 });
    const second = await testWorkerApp(db.url, pool2, { WORKER_BATCH_SIZE: '7' });
    const first = await testWorkerApp(db.url, db.pool, { WORKER_BATCH_SIZE: '5' });
    extraApps.push(second.app, first.app, { close: () => pool2.end() });
    const rounds = await Promise.all(
      METHODS.map(async (method) => ({
        method,
        round: await createRound(vote, { method, allow_revote: true, options: ['A', 'B', 'C'] }),
      })),
    );
    const random = seededRandom(42);
    const casts: Promise<unknown>[] = [];
    for (let i = 0; i < 300; i++) {
      const { method, round } = rounds[i % rounds.length] as (typeof rounds)[number];
      casts.push(
        castBallot(vote, method, round.round_id, randomChoices(method, 3, random), `v${i % 40}`),
      );
    }
    // Drain while the votes are still arriving, from both workers at once.
    let loops = 0;
    const castsDone = Promise.all(casts);
    let done = false;
    castsDone.then(() => {
      done = true;
    });
    while (!done && loops < 500) {
      await Promise.all([first.loop.runOnce(), second.loop.runOnce()]);
      loops++;
    }
    await castsDone;
    for (let i = 0; i < 50 && (await pendingChanges(db.pool)) > 0; i++)
      await Promise.all([first.loop.runOnce(), second.loop.runOnce()]);
    expect(await pendingChanges(db.pool)).toBe(0);
    for (const { round } of rounds) {
      expect(await storedAggregates(db.pool, round.round_id)).toEqual(
        await recount(db.pool, round.round_id),
      );
      expect(await negativeAggregateRows(db.pool, round.round_id)).toBe(0);
    }
  });
});

describe('finalization', () => {
  it('stores the final result only once the closed round is drained, and never changes it', async () => {
    const slow = await testWorkerApp(db.url, db.pool, { WORKER_BATCH_SIZE: '1' });
    extraApps.push(slow.app);
    const round = await createRound(vote, { allow_revote: true });
    for (let i = 0; i < 30; i++)
      await castBallot(vote, 'plurality', round.round_id, [(i % 3) + 1], `p${i}`);
    await closeRoundAsAdmin(vote, round);
    expect((await fullResult(vote, round.round_id)).final).toBe(false);

    // One loop applies 20 batches of 1: ten changes still pending, so nothing may be final yet.
    await slow.loop.runOnce();
    expect(await pendingChanges(db.pool, round.round_id)).toBe(10);
    const stored = await db.pool.query('SELECT * FROM round_results WHERE round_id = $1', [
      round.round_id,
    ]);
    expect(stored.rows).toEqual([]);
    expect((await fullResult(vote, round.round_id)).final).toBe(false);

    await slow.loop.runOnce();
    expect(await pendingChanges(db.pool, round.round_id)).toBe(0);
    const full = await fullResult(vote, round.round_id);
    expect(full).toMatchObject({ status: 'closed', final: true, total_ballots: 30 });
    const finalRow = (
      await db.pool.query(
        'SELECT r.result, r.ballots, r.final, r.as_of, d.finalized_at FROM round_results r JOIN rounds d USING (round_id) WHERE round_id = $1',
        [round.round_id],
      )
    ).rows[0];
    expect(finalRow).toMatchObject({ ballots: 30, final: true });
    expect(finalRow.result).toEqual({
      method: 'plurality',
      ballots: 30,
      counts: [
        { option_id: 1, votes: 10 },
        { option_id: 2, votes: 10 },
        { option_id: 3, votes: 10 },
      ],
    });
    expect(metricValue(await scrape(slow.app), 'worker_rounds_finalized_total')).toBe(1);

    // Nothing changes it afterwards: more loops, a late attempt to vote, even a direct overwrite.
    for (let i = 0; i < 3; i++) await slow.loop.runOnce();
    await worker.loop.runOnce();
    const late = await vote.inject({
      method: 'POST',
      url: '/vote',
      payload: { round_id: round.round_id, option_id: 1 },
      headers: { 'x-voter-id': 'p0' },
    });
    expect(late.statusCode).toBe(409);
    for (const final of [false, true]) {
      await storeResult(db.pool, {
        roundId: round.round_id,
        result: { tampered: true },
        ballots: 999,
        asOf: new Date(),
        final,
      });
    }
    const again = (
      await db.pool.query(
        'SELECT r.result, r.ballots, r.final, r.as_of, d.finalized_at FROM round_results r JOIN rounds d USING (round_id) WHERE round_id = $1',
        [round.round_id],
      )
    ).rows[0];
    expect(again).toEqual(finalRow);
    expect(metricValue(await scrape(slow.app), 'worker_rounds_finalized_total')).toBe(1);
    expect(await fullResult(vote, round.round_id)).toEqual({ ...full, as_of: expect.any(String) });
  });

  it('refreshes the stored tabulation of an open ranked round after changes, and finalizes it', async () => {
    const round = await createRound(vote, { method: 'ranked', allow_revote: true });
    const cast = (choices: number[], voter: string) =>
      castBallot(vote, 'ranked', round.round_id, choices, voter);
    // Round 1: Red 4, Green 3, Blue 2 → Blue out, its ballots go to Green: Green wins 5 to 4.
    for (let i = 0; i < 4; i++) await cast([1], `red-${i}`);
    for (let i = 0; i < 3; i++) await cast([2], `green-${i}`);
    for (let i = 0; i < 2; i++) await cast([3, 2], `blue-${i}`);
    expect((await fullResult(vote, round.round_id)).tabulation).toBeUndefined();
    await drain(worker.loop);
    const first = await fullResult(vote, round.round_id);
    expect(first.tabulation).toMatchObject({
      ballots: 9,
      result: { method: 'ranked', ballots: 9 },
    });
    expect(first.tabulation.result.irv.winner).toBe(2);
    expect(first.tabulation.result.irv.rounds).toHaveLength(2);

    // Two Green voters change their mind to Red: Red 6 of 9 wins in the first round.
    await cast([1, 2], 'green-0');
    await cast([1], 'green-1');
    const stale = await fullResult(vote, round.round_id);
    expect(stale.total_ballots).toBe(9);
    expect(stale.results[0]).toMatchObject({ option_id: 1, votes: 6 });
    expect(stale.tabulation).toEqual(first.tabulation); // stored, not yet refreshed: as_of says so
    await drain(worker.loop);
    const refreshed = await fullResult(vote, round.round_id);
    expect(refreshed.tabulation.result.irv.winner).toBe(1);
    expect(refreshed.tabulation.result.irv.rounds).toHaveLength(1);
    expect(Date.parse(refreshed.tabulation.as_of)).toBeGreaterThan(
      Date.parse(first.tabulation.as_of),
    );
    expect(refreshed.final).toBe(false);

    await closeRoundAsAdmin(vote, round);
    await worker.loop.runOnce();
    const final = await fullResult(vote, round.round_id);
    expect(final.final).toBe(true);
    expect(final.tabulation.result).toEqual(refreshed.tabulation.result);
  });
  it('re-tabulates a ranked round whose drain committed but whose worker died before re-tabulating', async () => {
    const round = await createRound(vote, { method: 'ranked' });
    for (let i = 0; i < 3; i++) await castBallot(vote, 'ranked', round.round_id, [2, 1]);
    await drain(worker.loop);
    expect((await fullResult(vote, round.round_id)).tabulation.ballots).toBe(3);

    // A worker applies the next changes and is killed before its re-tabulation: only the drain
    // (one statement, one transaction) happened.
    for (let i = 0; i < 4; i++) await castBallot(vote, 'ranked', round.round_id, [1]);
    expect((await drainBallotChanges(db.pool, 100)).changes).toBe(4);
    expect((await fullResult(vote, round.round_id)).tabulation.ballots).toBe(3);

    // Its replacement starts: the stale tabulation must not stay stale for want of a new vote.
    const restarted = await testWorkerApp(db.url, db.pool, { WORKER_TABULATION_INTERVAL_MS: '0' });
    extraApps.push(restarted.app);
    await restarted.loop.runOnce();
    const refreshed = await fullResult(vote, round.round_id);
    expect(refreshed.tabulation).toMatchObject({ ballots: 7, result: { irv: { winner: 1 } } });
  });
});

describe('worker metrics and readiness', () => {
  it('moves worker_heartbeat with each loop, not with scrapes, and reports backlog and lag', async () => {
    const slow = await testWorkerApp(db.url, db.pool, { WORKER_BATCH_SIZE: '1' });
    extraApps.push(slow.app);
    await drain(worker.loop);
    const round = await createRound(vote);
    for (let i = 0; i < 25; i++) await castBallot(vote, 'plurality', round.round_id, [1]);
    // Deliberately lets time pass: the oldest pending change must be at least 50 ms old below.
    await new Promise((resolve) => setTimeout(resolve, 50));

    const before = await scrape(slow.app);
    expect(metricValue(before, 'worker_heartbeat', 'service="worker"')).toBeUndefined();

    const loopStart = Date.now() / 1000;
    await slow.loop.runOnce();
    const first = await scrape(slow.app);
    const beat = metricValue(first, 'worker_heartbeat', 'service="worker"') as number;
    expect(beat).toBeGreaterThanOrEqual(loopStart);
    expect(beat).toBeLessThanOrEqual(Date.now() / 1000);
    // 25 changes, 20 batches of one applied: 5 left, the oldest cast at least 50 ms ago.
    expect(metricValue(first, 'worker_pending_changes')).toBe(5);
    expect(metricValue(first, 'worker_oldest_pending_change_age_seconds')).toBeGreaterThan(0.04);
    expect(metricValue(first, 'worker_batches_total')).toBe(20);
    expect(metricValue(first, 'worker_ballot_changes_aggregated_total')).toBe(20);

    // Scrapes alone never move the heartbeat: time deliberately passes first, so a heartbeat
    // set at scrape time would differ.
    await new Promise((resolve) => setTimeout(resolve, 30));
    for (let i = 0; i < 3; i++)
      expect(metricValue(await scrape(slow.app), 'worker_heartbeat', 'service="worker"')).toBe(
        beat,
      );

    await slow.loop.runOnce();
    const second = await scrape(slow.app);
    expect(metricValue(second, 'worker_heartbeat', 'service="worker"')).toBeGreaterThan(beat);
    expect(metricValue(second, 'worker_pending_changes')).toBe(0);
    expect(metricValue(second, 'worker_oldest_pending_change_age_seconds')).toBe(0);
    expect(metricValue(second, 'worker_ballot_changes_aggregated_total')).toBe(25);
  });

  it('fails /readyz while the database is unreachable, counts loop errors, and recovers', async () => {
    const { host, port } = hostAndPort(db.url);
    const proxy = new TcpProxy(host, port);
    await proxy.start();
    const pool: Pool = createPool({ connectionString: throughProxy(db.url, proxy), max: 3 });
    const proxied = await testWorkerApp(throughProxy(db.url, proxy), pool, {
      WORKER_POLL_INTERVAL_MS: '20',
    });
    extraApps.push({ close: () => proxy.cut() }, { close: () => pool.end() }, proxied.app);
    const readyz = async () => (await proxied.app.inject({ url: '/readyz' })).statusCode;
    const heartbeat = async () =>
      metricValue(await scrape(proxied.app), 'worker_heartbeat', 'service="worker"') ?? 0;
    const loopErrors = async () =>
      metricValue(await scrape(proxied.app), 'worker_loop_errors_total') ?? 0;
    // Polled every 25 ms for up to 10 s.
    const soon = { timeout: 10_000, interval: 25 };

    expect(await readyz()).toBe(200);
    proxied.loop.start();
    extraApps.push({ close: () => proxied.loop.stop() });
    await expect.poll(heartbeat, soon).toBeGreaterThan(0);

    await proxy.cut();
    const cutAt = Date.now() / 1000;
    expect(await readyz()).toBe(503);
    const answer = await proxied.app.inject({ url: '/readyz' });
    expect(answer.json()).toMatchObject({ error: 'not_ready' });
    await expect.poll(loopErrors, soon).toBeGreaterThan(0);
    // No successful loop while the database is away: the heartbeat stays before the cut.
    expect(await heartbeat()).toBeLessThanOrEqual(cutAt + 0.05);
    expect(await proxied.app.inject({ url: '/livez' })).toMatchObject({ statusCode: 200 });

    await proxy.restore();
    await expect.poll(readyz, soon).toBe(200);
    await expect.poll(heartbeat, soon).toBeGreaterThan(cutAt + 0.05);
  }, 30_000);
});
