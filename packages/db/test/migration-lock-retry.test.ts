import { createLogger } from '@voting/runtime';
import type pg from 'pg';
import { afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { createClient, loadMigrations, type Migration, migrate } from '../src/index.ts';

/**
 * A migration that gives up on a table lock (SQLSTATE 55P03, after its lock_timeout) is rolled
 * back and tried again after a jittered pause, each retry logged; past its retries it fails with
 * the error that names the migration and the lock. Timeouts are shortened here (200–300 ms
 * instead of 5 s, pauses from 50–200 ms instead of 1 s); the production values are the defaults
 * of `migrateDatabase`, which the Job runs.
 */
let db: TestDatabase;
let migrations: Migration[];

beforeAll(async () => {
  migrations = await loadMigrations();
});
// A database per test (a clone of the migrated template), each to add its own next migration.
beforeEach(async () => {
  db = await createTestDatabase();
});
afterEach(async () => {
  await db?.drop();
});

function nextMigration(name: string, column: string): Migration {
  return {
    id: migrations.length + 1,
    name,
    sql: `ALTER TABLE rounds ADD COLUMN ${column} boolean`,
  };
}

async function hasColumn(column: string): Promise<boolean> {
  const found = await db.pool.query(
    "SELECT 1 FROM information_schema.columns WHERE table_name = 'rounds' AND column_name = $1",
    [column],
  );
  return found.rows.length > 0;
}

/** A long reader's lock on `rounds`: the next migration's DDL needs the table exclusively. */
async function holdRounds(): Promise<pg.Client> {
  const blocker = createClient(db.url);
  await blocker.connect();
  await blocker.query('BEGIN');
  await blocker.query('LOCK TABLE rounds IN ACCESS SHARE MODE');
  return blocker;
}

function collectingLogger() {
  const lines: { msg: string; migration?: string; retry?: number; delayMs?: number }[] = [];
  const logger = createLogger('migrate', 'info', { write: (line) => lines.push(JSON.parse(line)) });
  return { lines, logger };
}

it('retries a migration that met a lock, and applies it once the lock is released', async () => {
  const { lines, logger } = collectingLogger();
  const blocker = await holdRounds();
  const runner = createClient(db.url);
  await runner.connect();
  try {
    const next = nextMigration('waits_then_goes', 'waited_then_went');
    const running = migrate(runner, [...migrations, next], {
      logger,
      lockRetries: 5,
      lockTimeoutMs: 300,
      retryDelayMs: 200,
    });
    // The first try gave up and said so; the reader then finishes.
    await expect.poll(() => lines.length, { timeout: 10_000, interval: 20 }).toBeGreaterThan(0);
    await blocker.query('ROLLBACK');
    expect(await running).toEqual([next]);
    expect(await hasColumn('waited_then_went')).toBe(true);
    const retries = lines.filter((line) => line.msg.includes('retrying'));
    expect(retries.length).toBeGreaterThanOrEqual(1);
    expect(retries.length).toBeLessThanOrEqual(5);
    expect(retries[0]).toMatchObject({
      migration: `${String(next.id).padStart(4, '0')}_waits_then_goes`,
      retry: 1,
    });
    // Jittered: between half and all of the first pause.
    expect(retries[0]?.delayMs).toBeGreaterThanOrEqual(100);
    expect(retries[0]?.delayMs).toBeLessThanOrEqual(200);
  } finally {
    await Promise.all([blocker.end(), runner.end()]);
  }
});

it('fails with the lock timeout named once the lock outlasts every retry', async () => {
  const { lines, logger } = collectingLogger();
  const blocker = await holdRounds();
  const runner = createClient(db.url);
  await runner.connect();
  try {
    const next = nextMigration('never_gets_the_lock', 'never_added');
    await expect(
      migrate(runner, [...migrations, next], {
        logger,
        lockRetries: 2,
        lockTimeoutMs: 200,
        retryDelayMs: 50,
      }),
    ).rejects.toThrow(
      /never_gets_the_lock failed: canceling statement due to lock timeout \(3 tries of 200 ms each\)/,
    );
    expect(lines.map((line) => line.retry)).toEqual([1, 2]);
    await blocker.query('ROLLBACK');
    expect(await hasColumn('never_added')).toBe(false);
    // Nothing half-done is recorded, and the runner's advisory lock is free for the next run.
    const recorded = await db.pool.query('SELECT max(id) AS id FROM schema_migrations');
    expect(recorded.rows[0]?.id).toBe(migrations.length);
    expect(await migrate(runner, migrations)).toEqual([]);
  } finally {
    await Promise.all([blocker.end(), runner.end()]);
  }
});

it('does not retry what is not a lock timeout', async () => {
  const { lines, logger } = collectingLogger();
  const runner = createClient(db.url);
  await runner.connect();
  try {
    const broken = {
      ...nextMigration('is_broken', 'x'),
      sql: 'ALTER TABLE no_such_table ADD x int',
    };
    await expect(
      migrate(runner, [...migrations, broken], { logger, lockRetries: 5, retryDelayMs: 50 }),
    ).rejects.toThrow(/is_broken failed: relation "no_such_table" does not exist$/);
    expect(lines).toEqual([]);
  } finally {
    await runner.end();
  }
});
