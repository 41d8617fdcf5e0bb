import { Type } from 'typebox';

/**
 * How long one statement may run, server side (`statement_timeout`), and how long a vote waits
 * for its transaction in all. 5 s is hundreds of times the longest legitimate statement: a vote
 * takes ~1 ms and a group-commit batch of 500 ballots tens of ms; the worker's drain of 2,000
 * changes and an export page of 5,000 ballots take tens of ms (each page is its own statement,
 * so a big round's export is never one long statement); a results read is O(options + pending
 * changes). Migrations run on their own connection with a lock_timeout instead. Past it the
 * request answers 503 rather than holding its client, a pooled connection and locks.
 */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 5000;

/**
 * How long opening a connection may take (TCP, TLS, authentication): milliseconds on a healthy
 * server. 3 s rides out a busy one and still leaves room for the statement within a vote's
 * budget; a server that accepts TCP but never answers (frozen) then costs 3 s, not forever.
 */
export const DEFAULT_CONNECT_TIMEOUT_MS = 3000;

/**
 * How long a session may sit inside a transaction without sending a statement before the server
 * ends it (`idle_in_transaction_session_timeout`). The services' write transactions never pause
 * between statements for more than a few ms; only the export of a still-open round holds its
 * snapshot while the client downloads a page (5,000 ballots, a few hundred KB): 60 s cuts only a
 * client slower than ~5 KB/s, and keeps a process that froze mid-transaction from holding row
 * locks (a round's close waits on them) and the vacuum horizon for longer.
 */
export const DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT_MS = 60_000;

/** The settings of a service that runs on the database (every one of them). */
export const databaseConfig = {
  DATABASE_URL: Type.String({ minLength: 1, description: 'PostgreSQL connection string' }),
  DATABASE_POOL_SIZE: Type.Integer({ minimum: 1, maximum: 200, default: 10 }),
  // At least 1 s: a vote's commit must land CLOCK_SKEW_ALLOWANCE_MS (250 ms) before its deadline.
  DATABASE_STATEMENT_TIMEOUT_MS: Type.Integer({
    minimum: 1000,
    maximum: 600_000,
    default: DEFAULT_STATEMENT_TIMEOUT_MS,
  }),
  DATABASE_CONNECT_TIMEOUT_MS: Type.Integer({
    minimum: 100,
    maximum: 120_000,
    default: DEFAULT_CONNECT_TIMEOUT_MS,
  }),
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: Type.Integer({
    minimum: 1000,
    maximum: 3_600_000,
    default: DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT_MS,
  }),
};

/** The settings of a service that holds a LISTEN connection (result, worker). */
export const listenConfig = {
  /**
   * Where the LISTEN connection goes, when it must bypass a transaction-pooling PgBouncer
   * (which cannot carry LISTEN); defaults to DATABASE_URL.
   */
  DATABASE_LISTEN_URL: Type.Optional(Type.String({ minLength: 1 })),
};
