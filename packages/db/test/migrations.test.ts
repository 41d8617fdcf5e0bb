import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmptyDatabase } from '../../../test/support/database.ts';
import { createClient, createPool, loadMigrations, migrate, schemaProblem } from '../src/index.ts';

// An empty database (not the migrated template), to watch migrations arrive.
let database: Awaited<ReturnType<typeof createEmptyDatabase>>;
let url: string;

beforeAll(async () => {
  database = await createEmptyDatabase('voting_migrate');
  url = database.url;
});
afterAll(async () => {
  await database?.drop();
});

describe('migrations', () => {
  it('are numbered without gaps and named NNNN_name.sql', async () => {
    const migrations = await loadMigrations();
    expect(migrations.map((m) => m.id)).toEqual(migrations.map((_, index) => index + 1));
    expect(migrations.length).toBeGreaterThanOrEqual(2);
  });

  it('with 8 runners at once, each migration is applied exactly once and all see it applied', async () => {
    const migrations = await loadMigrations();
    const pool = createPool({ connectionString: url, max: 2 });
    expect(await schemaProblem(pool, migrations)).toMatch(/no schema/);

    const clients = Array.from({ length: 8 }, () => createClient(url));
    await Promise.all(clients.map((client) => client.connect()));
    const applied = await Promise.all(clients.map((client) => migrate(client, migrations)));
    await Promise.all(clients.map((client) => client.end()));

    const appliedCounts = applied.map((list) => list.length);
    expect(appliedCounts.filter((count) => count === migrations.length)).toHaveLength(1);
    expect(appliedCounts.filter((count) => count === 0)).toHaveLength(7);
    const recorded = await pool.query('SELECT id, name FROM schema_migrations ORDER BY id');
    expect(recorded.rows).toEqual(migrations.map((m) => ({ id: m.id, name: m.name })));
    expect(await schemaProblem(pool, migrations)).toBeNull();

    // Older code keeps serving a newer schema (rolling upgrades), but never migrates it.
    expect(await schemaProblem(pool, migrations.slice(0, -1))).toBeNull();
    const client = createClient(url);
    await client.connect();
    await expect(migrate(client, migrations.slice(0, -1))).rejects.toThrow(/newer/);
    await client.end();
    await pool.end();
  });

  it('gives up on a table lock after lock_timeout instead of queueing everyone behind it', async () => {
    const migrations = await loadMigrations();
    const blocker = createClient(url);
    const runner = createClient(url);
    await Promise.all([blocker.connect(), runner.connect()]);
    try {
      // A long reader holds the table; the next migration's DDL needs it exclusively.
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE rounds IN ACCESS SHARE MODE');
      const next = {
        id: migrations.length + 1,
        name: 'waits_for_a_lock',
        sql: 'ALTER TABLE rounds ADD COLUMN waited boolean',
      };
      const started = Date.now();
      await expect(migrate(runner, [...migrations, next])).rejects.toThrow(
        /waits_for_a_lock failed: canceling statement due to lock timeout/,
      );
      expect(Date.now() - started).toBeLessThan(15_000);
      await blocker.query('ROLLBACK');
      const columns = await runner.query(
        "SELECT 1 FROM information_schema.columns WHERE table_name = 'rounds' AND column_name = 'waited'",
      );
      expect(columns.rows).toEqual([]);
    } finally {
      await Promise.all([blocker.end(), runner.end()]);
    }
  }, 30_000);
});
