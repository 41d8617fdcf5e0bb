import { randomBytes } from 'node:crypto';
import {
  createDatabaseIfMissing,
  createPool,
  databaseUrl,
  dropDatabaseIfExists,
  type Pool,
} from '@voting/db';
import { inject } from 'vitest';

export interface TestDatabase {
  url: string;
  pool: Pool;
  drop: () => Promise<void>;
}

/** A database of this test file's own, cloned from the migrated template (fast: a file copy). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = inject('databaseServerUrl');
  const name = `voting_test_${randomBytes(6).toString('hex')}`;
  await createDatabaseIfMissing(serverUrl, name, inject('templateDatabase'));
  const url = databaseUrl(serverUrl, name);
  const pool = createPool({ connectionString: url, max: 20 });
  return {
    url,
    pool,
    drop: async () => {
      await pool.end();
      await dropDatabaseIfExists(serverUrl, name);
    },
  };
}

/** An empty database of its own (not the migrated template), to watch migrations arrive. */
export async function createEmptyDatabase(
  prefix: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const serverUrl = inject('databaseServerUrl');
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await createDatabaseIfMissing(serverUrl, name);
  return {
    url: databaseUrl(serverUrl, name),
    drop: () => dropDatabaseIfExists(serverUrl, name),
  };
}

/**
 * Waits until a service of the test holds a LISTEN on this database (within 10 s). A service's
 * background work, its LISTEN included, starts once its schema check passes, which on a busy
 * machine may be a moment after `listen` resolved: a notification sent before the LISTEN is lost.
 */
export async function untilListening(pool: Pool): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
       WHERE datname = current_database() AND query ILIKE 'LISTEN%'`,
    );
    if ((rows[0]?.n ?? 0) > 0) return;
    if (Date.now() > deadline)
      throw new Error('no service LISTENs on the test database after 10 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
