import pg from 'pg';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;
export type Queryable = pg.Pool | pg.PoolClient | pg.Client;

// Counts are bigint in SQL; every count here stays far below 2^53, so read them as numbers.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8
      ? Number
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export interface PoolOptions {
  connectionString: string;
  max?: number;
  applicationName?: string;
  onError?: (error: Error) => void;
}

/**
 * A connection pool. A broken idle connection (say, the database restarted) is reported to
 * `onError` and replaced on the next checkout, so services recover without a restart.
 */
export function createPool(options: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName,
    types,
    // Fail fast when the database is away so requests get a 503 instead of hanging.
    connectionTimeoutMillis: 3000,
    idleTimeoutMillis: 30_000,
  });
  pool.on('error', (error) => options.onError?.(error));
  return pool;
}

export function createClient(connectionString: string): pg.Client {
  return new pg.Client({ connectionString, types });
}

/** Runs `work` in a transaction on one pooled connection; rolls back if it throws. */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** The pool a service runs on, sized and named from its config; lost idle connections are logged. */
export function createServicePool(
  service: string,
  config: { DATABASE_URL: string; DATABASE_POOL_SIZE: number },
  logger: { warn: (details: object, message: string) => void },
): pg.Pool {
  return createPool({
    connectionString: config.DATABASE_URL,
    max: config.DATABASE_POOL_SIZE,
    applicationName: service,
    onError: (err) => logger.warn({ err }, 'idle database connection lost'),
  });
}
