import { createClient } from './pool.ts';

const identifier = /^[a-z_][a-z0-9_]{0,62}$/;

/** The connection string for another database on the same server. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Creates `database` on the server of `serverUrl` unless it exists (CREATE DATABASE has no IF NOT EXISTS). */
export async function createDatabaseIfMissing(
  serverUrl: string,
  database: string,
  template?: string,
): Promise<void> {
  for (const name of [database, template]) {
    if (name !== undefined && !identifier.test(name))
      throw new Error(`"${name}" is not a plain database name`);
  }
  const client = createClient(serverUrl);
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) {
      await client
        .query(`CREATE DATABASE ${database}${template ? ` TEMPLATE ${template}` : ''}`)
        .catch((error: { code?: string }) => {
          // 42P04: another process created it between our check and our CREATE.
          if (error.code !== '42P04') throw error;
        });
    }
  } finally {
    await client.end();
  }
}

export async function dropDatabaseIfExists(serverUrl: string, database: string): Promise<void> {
  if (!identifier.test(database)) throw new Error(`"${database}" is not a plain database name`);
  const client = createClient(serverUrl);
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
