import type { Tracer } from '@opentelemetry/api';
import pg from 'pg';
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT_MS,
  DEFAULT_STATEMENT_TIMEOUT_MS,
} from './config.ts';
import { traceQueries } from './query-spans.ts';

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

/** The time limits every pooled connection carries (databaseConfig: defaults and why). */
export interface PoolTimeouts {
  statementTimeoutMs: number;
  connectTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
}

/**
 * How much longer than the server's statement_timeout the client waits for an answer. On a live
 * server the server's timeout fires first and the connection stays usable; the client's own only
 * fires when the server cannot answer at all (frozen, or the network dropping packets).
 */
export const QUERY_TIMEOUT_MARGIN_MS = 1000;

export interface PoolOptions {
  connectionString: string;
  max?: number;
  applicationName?: string;
  onError?: (error: Error) => void;
  timeouts?: Partial<PoolTimeouts>;
  /** The service's tracer when tracing is on: its statements get spans (query-spans.ts). */
  tracer?: Tracer;
}

const timeoutsOf = new WeakMap<pg.Pool, PoolTimeouts>();

/**
 * A connection pool. A broken idle connection (say, the database restarted) is reported to
 * `onError` and replaced on the next checkout, so services recover without a restart. Every
 * connection has a server-side statement timeout, a client-side query timeout a little above
 * it, a connect timeout and an idle-in-transaction timeout: nothing waits on the database forever.
 */
export function createPool(options: PoolOptions): pg.Pool {
  const given = options.timeouts ?? {};
  const timeouts: PoolTimeouts = {
    statementTimeoutMs: given.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS,
    connectTimeoutMs: given.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    idleInTransactionTimeoutMs:
      given.idleInTransactionTimeoutMs ?? DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT_MS,
  };
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName,
    types,
    // Fail fast when the database is away so requests get a 503 instead of hanging.
    connectionTimeoutMillis: timeouts.connectTimeoutMs,
    idleTimeoutMillis: 30_000,
    // Startup parameters of each connection: the server enforces them.
    statement_timeout: timeouts.statementTimeoutMs,
    idle_in_transaction_session_timeout: timeouts.idleInTransactionTimeoutMs,
    // The client's own limit, for a server that cannot even cancel (frozen, unreachable).
    query_timeout: timeouts.statementTimeoutMs + QUERY_TIMEOUT_MARGIN_MS,
  });
  pool.on('error', (error) => options.onError?.(error));
  // A connection the server ends while it is checked out but between statements (the
  // idle-in-transaction timeout, a restart) emits 'error' on the client itself, which would be an
  // uncaught exception without a listener. Its holder's next statement fails instead, and the
  // broken connection is discarded when released.
  pool.on('connect', (client) => client.on('error', () => undefined));
  if (options.tracer) traceQueries(pool, options.tracer, options.connectionString);
  timeoutsOf.set(pool, timeouts);
  return pool;
}

/** The statement timeout of a pool's connections (the default for a pool made elsewhere). */
export function statementTimeoutOf(pool: pg.Pool): number {
  return timeoutsOf.get(pool)?.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
}

/**
 * A connection of its own, outside any pool (migrations, LISTEN, database administration): no
 * statement timeout, since a migration may legitimately run long (it has a lock_timeout instead).
 */
export function createClient(connectionString: string): pg.Client {
  return new pg.Client({ connectionString, types });
}

/**
 * The pool a service runs on, sized, named and timed from its config; lost idle connections are
 * logged. With the service's tracer (tracing on), its statements get spans.
 */
export function createServicePool(
  service: string,
  config: {
    DATABASE_URL: string;
    DATABASE_POOL_SIZE: number;
    DATABASE_STATEMENT_TIMEOUT_MS?: number;
    DATABASE_CONNECT_TIMEOUT_MS?: number;
    DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS?: number;
  },
  logger: { warn: (details: object, message: string) => void },
  tracer?: Tracer,
): pg.Pool {
  return createPool({
    connectionString: config.DATABASE_URL,
    max: config.DATABASE_POOL_SIZE,
    applicationName: service,
    onError: (err) => logger.warn({ err }, 'idle database connection lost'),
    timeouts: {
      statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
      connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
      idleInTransactionTimeoutMs: config.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    },
    tracer,
  });
}
