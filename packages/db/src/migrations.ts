import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@voting/runtime';
import type pg from 'pg';
import { createClient } from './pool.ts';

/** Where the numbered .sql files live; in a container image, `/app/migrations` next to `/app/dist`. */
export const migrationsDirectory = new URL('../migrations/', import.meta.url);

// Any fixed 64-bit key would do; it only has to be the same for every process of this system.
const MIGRATION_LOCK_KEY = 7_245_310_771;

// How long a migration's statement may wait for a table lock. DDL wants an ACCESS EXCLUSIVE lock,
// and while it waits behind a long transaction (a ballot export, say) every later query on that
// table queues behind it: votes stall for as long as the migration waits. 5 s outlasts the
// services' own short transactions and keeps such a stall brief; past it the migration rolls
// back, and is tried again after a pause (below) when the table may be quieter.
const MIGRATION_LOCK_TIMEOUT_MS = 5000;
// Tries after the first that gave up on a lock (SQLSTATE 55P03), each after a pause of 1 s
// doubling to 8 s, times a random 0.5–1 so that it does not keep meeting a lock taken on a
// schedule: about a minute in all (6 × 5 s waiting, ~12–23 s pausing) before the runner fails
// and the Job's own back-off takes over. The pauses leave the table's lock queue empty.
export const MIGRATION_LOCK_RETRIES = 5;
const LOCK_RETRY_FIRST_DELAY_MS = 1000;
const LOCK_RETRY_DELAY_DOUBLINGS = 3;
const LOCK_NOT_AVAILABLE = '55P03';

export interface MigrateOptions {
  /** Where each retry is logged. */
  logger?: Logger;
  /** Tries after the first when a migration gives up on a lock; `migrate` alone makes none. */
  lockRetries?: number;
  /** How long one try may wait for a lock (tests shorten it). */
  lockTimeoutMs?: number;
  /** The first pause before a retry (tests shorten it); it doubles, up to 8 times this. */
  retryDelayMs?: number;
}

export interface Migration {
  id: number;
  name: string;
  sql: string;
}

export async function loadMigrations(directory: URL = migrationsDirectory): Promise<Migration[]> {
  const files = (await readdir(directory)).filter((file) => file.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
    if (!match?.[1] || !match[2])
      throw new Error(`migration file ${file} is not named NNNN_name.sql`);
    const id = Number(match[1]);
    if (id !== migrations.length + 1)
      throw new Error(`migration ${file} breaks the numbering (expected ${migrations.length + 1})`);
    migrations.push({ id, name: match[2], sql: await readFile(new URL(file, directory), 'utf8') });
  }
  return migrations;
}

/**
 * Connects to `url`, applies this code's pending migrations (see `migrate`) and disconnects: what
 * every runner calls (the Job's migrate-cli, `npm start`, the tests' template), so this is where
 * a migration that meets a lock is retried, MIGRATION_LOCK_RETRIES times.
 */
export async function migrateDatabase(
  url: string,
  options: MigrateOptions = {},
): Promise<Migration[]> {
  const client = createClient(url);
  await client.connect();
  try {
    return await migrate(client, await loadMigrations(), {
      lockRetries: MIGRATION_LOCK_RETRIES,
      ...options,
    });
  } finally {
    await client.end();
  }
}

/**
 * Applies the migrations the database lacks, forward only. Safe when several processes run it at
 * once: a session advisory lock lets exactly one apply each migration while the others wait, then
 * find it recorded and apply nothing. Each migration commits with its bookkeeping row, so a crash
 * leaves the schema at a migration boundary. A migration that waits longer than its lock_timeout
 * rolls back and, with `lockRetries`, is tried again (the advisory lock stays held meanwhile).
 */
export async function migrate(
  client: pg.Client | pg.PoolClient,
  migrations: Migration[],
  options: MigrateOptions = {},
): Promise<Migration[]> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      id integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const applied = await appliedMigrations(client);
    assertKnown(applied, migrations);
    const pending = migrations.filter((migration) => !applied.has(migration.id));
    for (const migration of pending) await applyRetryingLocks(client, migration, options);
    return pending;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
  }
}

/** One migration in one transaction, tried again (rolled back first) when it gave up on a lock. */
async function applyRetryingLocks(
  client: pg.Client | pg.PoolClient,
  migration: Migration,
  options: MigrateOptions,
): Promise<void> {
  const retries = options.lockRetries ?? 0;
  const lockTimeoutMs = Math.trunc(options.lockTimeoutMs ?? MIGRATION_LOCK_TIMEOUT_MS);
  const firstDelayMs = options.retryDelayMs ?? LOCK_RETRY_FIRST_DELAY_MS;
  const label = `${String(migration.id).padStart(4, '0')}_${migration.name}`;
  for (let attempt = 0; ; attempt++) {
    try {
      await applyOnce(client, migration, lockTimeoutMs);
      return;
    } catch (error) {
      const lockTimedOut = (error as { code?: string }).code === LOCK_NOT_AVAILABLE;
      if (lockTimedOut && attempt < retries) {
        const ceiling = firstDelayMs * 2 ** Math.min(attempt, LOCK_RETRY_DELAY_DOUBLINGS);
        const delayMs = Math.round(ceiling * (0.5 + Math.random() / 2));
        options.logger?.warn(
          { migration: label, retry: attempt + 1, of: retries, delayMs, lockTimeoutMs },
          'migration gave up waiting for a lock; retrying',
        );
        await sleep(delayMs);
        continue;
      }
      const tries = lockTimedOut ? ` (${attempt + 1} tries of ${lockTimeoutMs} ms each)` : '';
      throw new Error(`migration ${label} failed: ${(error as Error).message}${tries}`, {
        cause: error,
      });
    }
  }
}

async function applyOnce(
  client: pg.Client | pg.PoolClient,
  migration: Migration,
  lockTimeoutMs: number,
): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(`SET LOCAL lock_timeout = ${lockTimeoutMs}`);
    await client.query(migration.sql);
    await client.query('INSERT INTO schema_migrations (id, name) VALUES ($1, $2)', [
      migration.id,
      migration.name,
    ]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

/**
 * Null when the database holds every migration this code needs; else what is missing, for
 * /readyz. A database with migrations this code does not know is fine: during a rolling upgrade
 * the new version migrates first (migrations are additive, expand before contract), and the old
 * pods must keep serving until they are replaced.
 */
export async function schemaProblem(
  db: pg.Pool | pg.Client,
  migrations: Migration[],
): Promise<string | null> {
  const table = await db.query<{ exists: boolean }>(
    "SELECT to_regclass('schema_migrations') IS NOT NULL AS exists",
  );
  if (!table.rows[0]?.exists) return 'the database has no schema yet: run the migrations';
  const applied = await appliedMigrations(db);
  const missing = migrations.filter((migration) => !applied.has(migration.id));
  if (missing.length > 0)
    return `the database lacks migration ${missing.map((m) => m.id).join(', ')}`;
  return null;
}

async function appliedMigrations(
  db: pg.Pool | pg.Client | pg.PoolClient,
): Promise<Map<number, string>> {
  const result = await db.query<{ id: number; name: string }>(
    'SELECT id, name FROM schema_migrations',
  );
  return new Map(result.rows.map((row) => [row.id, row.name]));
}

function assertKnown(applied: Map<number, string>, migrations: Migration[]): void {
  for (const [id, name] of applied) {
    const known = migrations[id - 1];
    if (!known)
      throw new Error(
        `the database has migration ${id}_${name}, which this code does not know: it is newer`,
      );
    if (known.name !== name)
      throw new Error(`migration ${id} is ${name} in the database but ${known.name} here`);
  }
}

/** A /readyz check: the database answers and holds exactly the schema this code expects. */
export function schemaReadiness(db: pg.Pool): () => Promise<string | null> {
  let migrations: Migration[] | undefined;
  return async () => {
    migrations ??= await loadMigrations();
    return schemaProblem(db, migrations);
  };
}
