import { AppError } from '@voting/runtime';
import pg from 'pg';

export interface TransactionOptions {
  /**
   * `Date.now()` by which the transaction must have committed. Past it the transaction is
   * abandoned: its connection is destroyed, which makes the server roll back whatever it has
   * not committed, and the caller gets a 503 (see `inTransaction`).
   */
  deadline?: number;
}

/**
 * SQLSTATE of a transaction the server rolled back because it reached COMMIT after its
 * `commit_by` (migration 0005): nothing written.
 */
export const COMMITTED_TOO_LATE = 'VLATE';

/**
 * How much earlier than its caller's deadline a transaction must commit, in the server's clock.
 * The caller answers 503 at its deadline in its own clock; the server refuses commits past
 * `commit_by`. For the refusal to always come before the answer, the server's clock may lag the
 * service's by at most this: NTP-synchronised nodes differ by milliseconds, so 250 ms is ample
 * and costs a vote 5% of its 5 s budget.
 */
export const CLOCK_SKEW_ALLOWANCE_MS = 250;

/** The `commit_by` of a transaction whose caller answers at `deadline` (`Date.now()` time). */
export const commitByOf = (deadline: number): Date => new Date(deadline - CLOCK_SKEW_ALLOWANCE_MS);

/** Abandoned before COMMIT was sent: the server cannot commit it. */
export const transactionTimedOut = () =>
  new AppError(
    503,
    'database_unavailable',
    'the database did not answer in time and nothing was written; try again shortly',
  );

/**
 * COMMIT was sent and no answer came: the write may or may not be in the database. (For ballots,
 * the commit carries `commit_by`: if it happened, it happened before this is thrown.)
 */
export class CommitOutcomeUnknown extends AppError {
  constructor(
    message = 'the database stopped answering while this write was committed: it may or may not have been saved',
  ) {
    super(503, 'outcome_unknown', message);
  }
}

const TIMED_OUT = Symbol('transaction deadline passed');
const ABANDONED = Symbol('transaction abandoned');

/**
 * Runs `work` in a transaction on one pooled connection; rolls back if it throws.
 *
 * What a failure means for the data is decided by whether COMMIT was sent. The server commits
 * only on COMMIT, so a transaction given up before it (its deadline passed, the connection
 * failed, a statement timed out on the client) is rolled back: its connection is destroyed, not
 * returned, and the server aborts the transaction when it sees the connection gone — even if it
 * was frozen at that moment and only thaws later. If the COMMIT itself gets no answer (the
 * deadline passes or the connection breaks after it was sent), the server may have committed:
 * that throws `CommitOutcomeUnknown` (503 `outcome_unknown`), never an error that would read as
 * "not written".
 */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  let commitSent = false;
  const { client, outcome } = await beforeDeadline(
    pool,
    options.deadline,
    async (connected, abandoned) => {
      await connected.query('BEGIN');
      const result = await work(connected);
      if (abandoned()) throw ABANDONED;
      commitSent = true;
      await connected.query('COMMIT');
      return result;
    },
  );
  if (outcome.ok) {
    client?.release();
    return outcome.value;
  }
  throw await failed(client, outcome.error, commitSent);
}

/**
 * A statement whose implicit transaction commits only once its whole result has arrived. It is
 * sent with Execute and Flush, without Sync: PostgreSQL runs it and sends its rows, but keeps the
 * transaction open until Sync, which node-postgres sends (in "rows" mode) when CommandComplete
 * comes in. So the Sync is this statement's COMMIT, sent as late as a COMMIT would be, at the
 * cost of one round trip instead of BEGIN's and COMMIT's two.
 */
class CommitOnReceipt extends pg.Query {
  syncSent = false;

  handleCommandComplete(message: unknown, connection: PgConnection): void {
    this.syncSent = true; // the base class sends Sync now
    queryPrototype.handleCommandComplete.call(this, message, connection);
  }

  handleError(error: Error, connection: PgConnection): void {
    // The server discards everything up to a Sync after an error: send it, so the transaction
    // rolls back and the connection answers again (the base class would wait forever).
    if (!this.syncSent && error instanceof pg.DatabaseError) {
      this.syncSent = true;
      connection.sync();
    }
    queryPrototype.handleError.call(this, error, connection);
  }
}

interface PgConnection {
  sync: () => void;
}
const queryPrototype = pg.Query.prototype as unknown as {
  handleCommandComplete: (message: unknown, connection: PgConnection) => void;
  handleError: (error: Error, connection: PgConnection) => void;
};

/**
 * Runs one statement as a transaction of its own that commits only if the client got its whole
 * result by `deadline` (see CommitOnReceipt), with the same rules as `inTransaction`: given up
 * before its Sync (COMMIT) was sent, the connection is destroyed and the server rolls the
 * statement back, even if it only runs it after thawing; given up after, `CommitOutcomeUnknown`.
 * Returns the statement's rows.
 */
export async function queryInOwnTransaction<R extends pg.QueryResultRow>(
  pool: pg.Pool,
  config: { name: string; text: string; values: unknown[]; rows: number },
  options: TransactionOptions = {},
): Promise<R[]> {
  let query: CommitOnReceipt | undefined;
  const { client, outcome } = await beforeDeadline(
    pool,
    options.deadline,
    (connected) =>
      new Promise<R[]>((resolve, reject) => {
        query = new CommitOnReceipt(config, (error: Error | undefined, result) =>
          error ? reject(error) : resolve(result.rows as R[]),
        );
        connected.query(query);
      }),
  );
  if (outcome.ok) {
    client?.release();
    return outcome.value;
  }
  const { error } = outcome;
  if (!client) throw error === TIMED_OUT ? transactionTimedOut() : error;
  if (error instanceof pg.DatabaseError) {
    // The server refused the statement (or the commit): rolled back, and after the Sync the
    // connection is usable again.
    client.release();
    throw rolledBackForTime(error) ? transactionTimedOut() : error;
  }
  client.release(new Error('transaction abandoned'));
  throw query?.syncSent ? new CommitOutcomeUnknown() : transactionTimedOut();
}

/** How an attempt on one pooled connection ended, and the connection it held, if it got one. */
interface Attempt<T> {
  client: pg.PoolClient | undefined;
  outcome: { ok: true; value: T } | { ok: false; error: unknown };
}

/**
 * Checks a connection out and runs `use` on it, racing `deadline` (when there is one). The
 * connection is left to the caller, who releases or destroys it by what the outcome means. Once
 * the race is lost the attempt counts as abandoned: a connection that arrives later goes back to
 * the pool untouched, and `use` can ask `abandoned()` before it commits.
 */
async function beforeDeadline<T>(
  pool: pg.Pool,
  deadline: number | undefined,
  use: (client: pg.PoolClient, abandoned: () => boolean) => Promise<T>,
): Promise<Attempt<T>> {
  let client: pg.PoolClient | undefined;
  let abandoned = false;
  const attempt = (async () => {
    const connected = await pool.connect();
    if (abandoned) {
      connected.release(); // untouched: it goes back to the pool as it came
      throw ABANDONED;
    }
    client = connected;
    return use(connected, () => abandoned);
  })();
  let timer: NodeJS.Timeout | undefined;
  const expired =
    deadline === undefined
      ? undefined
      : new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(TIMED_OUT), Math.max(0, deadline - Date.now()));
        });
  try {
    const value = await (expired ? Promise.race([attempt, expired]) : attempt);
    return { client, outcome: { ok: true, value } };
  } catch (error) {
    abandoned = true;
    attempt.catch(() => undefined); // its own failure, once the connection is destroyed
    return { client, outcome: { ok: false, error } };
  } finally {
    clearTimeout(timer);
  }
}

/** Releases or destroys the connection of a failed transaction; returns what to throw. */
async function failed(
  client: pg.PoolClient | undefined,
  error: unknown,
  commitSent: boolean,
): Promise<unknown> {
  const stuck = error === TIMED_OUT || (error as Error)?.message === 'Query read timeout';
  if (!client) return error === TIMED_OUT ? transactionTimedOut() : error;
  if (commitSent) {
    // The server answered the COMMIT with an error: it rolled back, and the connection is fine.
    if (error instanceof pg.DatabaseError) {
      client.release();
      return rolledBackForTime(error) ? transactionTimedOut() : error;
    }
    client.release(new Error('the COMMIT got no answer'));
    return new CommitOutcomeUnknown();
  }
  if (stuck) {
    // A statement is still running, or the server does not answer: destroy the connection, so
    // the server rolls back (it never got a COMMIT) and nothing waits behind the stuck statement.
    client.release(new Error('transaction abandoned'));
    return transactionTimedOut();
  }
  const rollback = await client.query('ROLLBACK').then(
    () => undefined,
    (rollbackError: Error) => rollbackError,
  );
  client.release(rollback);
  return rolledBackForTime(error) ? transactionTimedOut() : error;
}

/**
 * The server rolled the transaction back for time: its statement_timeout (or a cancel) ended a
 * statement, or it reached COMMIT past its `commit_by`. Nothing written.
 */
const rolledBackForTime = (error: unknown) =>
  error instanceof pg.DatabaseError &&
  (error.code === '57014' || error.code === COMMITTED_TOO_LATE);
