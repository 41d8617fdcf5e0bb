import { readdir, readFile } from 'node:fs/promises';
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
// back and fails, and the runner is retried (the Job's backoffLimit) when the table is quieter.
const MIGRATION_LOCK_TIMEOUT = '5s';

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

/** Connects to `url`, applies this code's pending migrations (see `migrate`) and disconnects. */
export async function migrateDatabase(url: string): Promise<Migration[]> {
  const client = createClient(url);
  await client.connect();
  try {
    return await migrate(client, await loadMigrations());
  } finally {
    await client.end();
  }
}

/**
 * Applies the migrations the database lacks, forward only. Safe when several processes run it at
 * once: a session advisory lock lets exactly one apply each migration while the others wait, then
 * find it recorded and apply nothing. Each migration commits with its bookkeeping row, so a crash
 * leaves the schema at a migration boundary.
 */
export async function migrate(
  client: pg.Client | pg.PoolClient,
  migrations: Migration[],
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
    for (const migration of pending) {
      await client.query('BEGIN');
      try {
        await client.query(`SET LOCAL lock_timeout = '${MIGRATION_LOCK_TIMEOUT}'`);
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (id, name) VALUES ($1, $2)', [
          migration.id,
          migration.name,
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(
          `migration ${migration.id}_${migration.name} failed: ${(error as Error).message}`,
        );
      }
    }
    return pending;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
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
