import { randomUUID } from 'node:crypto';
import {
  createClient,
  createPool,
  loadMigrations,
  type Migration,
  migrate,
  type Pool,
} from '@voting/db';
import { createLogger } from '@voting/runtime';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testWorkerApp } from '../../../test/support/apps.ts';
import { createEmptyDatabase } from '../../../test/support/database.ts';
import { pendingChanges } from '../../../test/support/recount.ts';

/**
 * A worker started with (or before) the migrations Job, as a rolling upgrade starts it, works
 * only once the schema is current: until then its loop does not run (it neither drains nor logs a
 * failure per pass), it is not ready, and it says so once per state it sees; when the last
 * migration lands it becomes ready and drains what waited.
 */

// An empty database of its own (not the migrated template), to apply the migrations in steps.
let database: Awaited<ReturnType<typeof createEmptyDatabase>>;
let url: string;
let workerPool: Pool;
let votePool: Pool;

beforeAll(async () => {
  database = await createEmptyDatabase('voting_gate');
  url = database.url;
  workerPool = createPool({ connectionString: url, max: 4 });
  votePool = createPool({ connectionString: url, max: 4 });
});
afterAll(async () => {
  await Promise.all([workerPool?.end(), votePool?.end()]);
  await database?.drop();
});

async function migrateTo(migrations: Migration[]): Promise<void> {
  const client = createClient(url);
  await client.connect();
  try {
    await migrate(client, migrations);
  } finally {
    await client.end();
  }
}

it('waits for the schema without running its loop, then becomes ready and drains', async () => {
  const migrations = await loadMigrations();
  const lines: { level: number; msg: string; problem?: string }[] = [];
  const logger = createLogger('worker', 'info', { write: (line) => lines.push(JSON.parse(line)) });
  const messages = () => lines.map((line) => line.msg);
  const worker = await testWorkerApp(url, workerPool, {}, logger);
  // The loop is not running, so every connection taken from the worker's pool is the gate's
  // schema check (no readiness probe is sent until the end): counting them shows it re-checking.
  let checks = 0;
  workerPool.on('acquire', () => checks++);
  try {
    await worker.app.listen({ host: '127.0.0.1', port: 0 });

    // No schema at all: a running loop would fail on every pass.
    await expect.poll(() => checks, { timeout: 10_000, interval: 50 }).toBeGreaterThanOrEqual(3);

    // All migrations but the newest, and a ballot waiting: the gate sees a new state, keeps
    // re-checking, and the ballot stays pending.
    await migrateTo(migrations.slice(0, -1));
    // Written in SQL, not through the vote service: today's vote statements may need the newest
    // migration themselves. A round, its option and one pending change, as a cast leaves them.
    const round = { round_id: randomUUID() };
    await votePool.query(
      `WITH round AS (
         INSERT INTO rounds (round_id, name, admin_token_hash) VALUES ($1, 'gate', '\\x00')
         RETURNING round_id
       ), option AS (
         INSERT INTO options (round_id, option_id, label) SELECT round_id, 1, 'A' FROM round
       )
       INSERT INTO ballot_changes (round_id, choices, delta) SELECT round_id, '{1}', 1 FROM round`,
      [round.round_id],
    );
    await expect
      .poll(() => lines.filter((line) => line.problem?.includes('lacks migration')).length, {
        timeout: 10_000,
        interval: 50,
      })
      .toBe(1);
    const seen = checks;
    await expect
      .poll(() => checks, { timeout: 10_000, interval: 50 })
      .toBeGreaterThanOrEqual(seen + 4);
    expect(await pendingChanges(votePool, round.round_id)).toBe(1);
    expect((await worker.app.inject({ url: '/readyz' })).statusCode).toBe(503);

    // The last migration lands: ready, and the waiting ballot is drained.
    await migrateTo(migrations);
    await expect
      .poll(async () => (await worker.app.inject({ url: '/readyz' })).statusCode, {
        timeout: 10_000,
        interval: 100,
      })
      .toBe(200);
    await expect
      .poll(() => pendingChanges(votePool, round.round_id), { timeout: 10_000, interval: 50 })
      .toBe(0);
  } finally {
    await worker.app.close();
  }

  // One line per state (no schema, the newest migration missing, current), none per attempt,
  // and not one failed pass of the loop.
  const gateLines = messages().filter((msg) => /background work|schema current/.test(msg));
  expect(gateLines).toEqual([
    'background work waits for the schema',
    'background work waits for the schema',
    'schema current: background work starts',
  ]);
  expect(lines.map((line) => line.problem).filter(Boolean)).toEqual([
    'the database has no schema yet: run the migrations',
    `the database lacks migration ${migrations.length}`,
  ]);
  expect(messages()).not.toContain('work loop failed; retrying');
  expect(lines.filter((line) => line.level >= 50)).toEqual([]);
}, 60_000);
