import {
  type Attributes,
  type Context,
  context,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TimeInput,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import {
  ATTR_DB_NAMESPACE,
  ATTR_DB_QUERY_SUMMARY,
  ATTR_DB_QUERY_TEXT,
  ATTR_DB_RESPONSE_STATUS_CODE,
  ATTR_DB_SYSTEM_NAME,
  ATTR_ERROR_TYPE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  DB_SYSTEM_NAME_VALUE_POSTGRESQL,
} from '@opentelemetry/semantic-conventions';
import type pg from 'pg';
import { queryLinksOf } from './trace-context.ts';

/**
 * Database spans, made here around the statements of a pool rather than by
 * @opentelemetry/instrumentation-pg. That instrumentation patches `pg.Client.prototype` once per
 * process (through a require hook, or by hand through its module definitions), so every pool in
 * the process reports to one tracer: the tests and the launcher run vote, result and worker in
 * one process, each with its own resource (service.name), and their statements would all be
 * reported as one service's. Here each traced pool wraps the `query` of its own connections
 * (instance properties, no prototype touched), so a statement's span belongs to the service
 * whose pool ran it, in a bundle, under tsx and in vitest alike.
 *
 * A span is made only inside a recording span (a sampled request, the worker's aggregation, the
 * result's stream event): the worker's polling and untraced votes make none. Attributes follow
 * the database semantic conventions: `db.system.name`, `db.namespace`, `server.*`, the statement's
 * text (`db.query.text`: parameterized, never its values) and its name as `db.query.summary`
 * (every statement of packages/db is a named one: low cardinality, and the span's name). Errors
 * record their SQLSTATE, never their message, which may quote a value. A pool made without a
 * tracer is left as it is: tracing off costs the database path nothing.
 */

interface Statement {
  name?: string;
  text: string;
}

/** Where each traced pool's statements go: its tracer and the server's attributes. */
const tracedPools = new WeakMap<pg.Pool, { tracer: Tracer; target: Attributes }>();

/** The semantic-convention attributes of the server a connection string names. */
export function serverAttributes(connectionString: string): Attributes {
  const attributes: Attributes = { [ATTR_DB_SYSTEM_NAME]: DB_SYSTEM_NAME_VALUE_POSTGRESQL };
  try {
    const url = new URL(connectionString);
    const database = decodeURIComponent(url.pathname.slice(1));
    if (url.hostname) attributes[ATTR_SERVER_ADDRESS] = url.hostname;
    attributes[ATTR_SERVER_PORT] = url.port ? Number(url.port) : 5432;
    if (database) attributes[ATTR_DB_NAMESPACE] = database;
  } catch {
    // Not a URL (a keyword/value string): the system alone.
  }
  return attributes;
}

/**
 * Makes the statements of `pool` traced: each connection's `query` is wrapped as it connects, and
 * `connect` callbacks run in their caller's context. (pg-pool's own `query` runs the statement in
 * the callback of its `connect`, which, when connections were all busy, is called by whoever
 * released one: without the binding a queued statement would be reported in another request's
 * trace.)
 */
export function traceQueries(pool: pg.Pool, tracer: Tracer, connectionString: string): void {
  const target = serverAttributes(connectionString);
  tracedPools.set(pool, { tracer, target });
  const connect = pool.connect as (this: pg.Pool, callback?: unknown) => unknown;
  pool.connect = function connectInCallersContext(this: pg.Pool, callback?: unknown) {
    return typeof callback === 'function'
      ? connect.call(this, context.bind(context.active(), callback))
      : connect.call(this);
  } as typeof pool.connect;
  pool.on('connect', (client) => traceClient(client, tracer, target));
}

type QueryFunction = (...args: unknown[]) => unknown;

function traceClient(client: pg.PoolClient, tracer: Tracer, target: Attributes): void {
  const query = client.query as unknown as QueryFunction;
  (client as unknown as { query: QueryFunction }).query = function tracedQuery(
    this: unknown,
    ...args: unknown[]
  ) {
    const parent = context.active();
    if (!trace.getSpan(parent)?.isRecording()) return query.apply(this, args);
    const span = startQuerySpan(tracer, parent, target, statementOf(args[0]));
    try {
      return runTraced(query, this, args, span);
    } catch (error) {
      endQuerySpan(span, error);
      throw error;
    }
  };
}

/** Runs the statement and ends the span when it completes, whichever way pg was called. */
function runTraced(query: QueryFunction, self: unknown, args: unknown[], span: Span): unknown {
  const first = args[0] as {
    submit?: unknown;
    callback?: (error: unknown, result: unknown) => void;
    once?: (event: string, listener: (error?: unknown) => void) => void;
  };
  if (typeof first?.submit === 'function') {
    // A Query object (transactions.ts CommitOnReceipt): it reports through its callback.
    if (typeof args[1] === 'function' && !first.callback)
      first.callback = args[1] as unknown as typeof first.callback;
    const callback = first.callback;
    if (callback)
      first.callback = function endSpan(this: unknown, error: unknown, result: unknown) {
        endQuerySpan(span, error);
        return callback.call(this, error, result);
      };
    else {
      first.once?.('end', () => endQuerySpan(span));
      first.once?.('error', (error) => endQuerySpan(span, error));
    }
    return query.apply(self, args);
  }
  const last = args[args.length - 1];
  if (typeof last === 'function') {
    args[args.length - 1] = function endSpan(this: unknown, error: unknown, result: unknown) {
      endQuerySpan(span, error);
      return last.call(this, error, result);
    };
    return query.apply(self, args);
  }
  const result = query.apply(self, args) as Promise<unknown>;
  result.then(
    () => endQuerySpan(span),
    (error: unknown) => endQuerySpan(span, error),
  );
  return result;
}

function statementOf(config: unknown): Statement {
  if (typeof config === 'string') return { text: config };
  const { name, text } = (config ?? {}) as { name?: unknown; text?: unknown };
  return {
    name: typeof name === 'string' ? name : undefined,
    text: typeof text === 'string' ? text : '',
  };
}

/** A statement's span name: its name, or the first word of its text (BEGIN, COMMIT). */
function spanName(statement: Statement): string {
  return statement.name ?? /^\s*(\w+)/.exec(statement.text)?.[1]?.toUpperCase() ?? 'postgresql';
}

function startQuerySpan(
  tracer: Tracer,
  parent: Context,
  target: Attributes,
  statement: Statement,
  startTime?: TimeInput,
): Span {
  const attributes: Attributes = { ...target, [ATTR_DB_QUERY_TEXT]: statement.text };
  if (statement.name) attributes[ATTR_DB_QUERY_SUMMARY] = statement.name;
  return tracer.startSpan(
    spanName(statement),
    { kind: SpanKind.CLIENT, attributes, links: queryLinksOf(parent), startTime },
    parent,
  );
}

function endQuerySpan(span: Span, error?: unknown, endTime?: TimeInput): void {
  if (error) {
    const code = (error as { code?: unknown }).code;
    const type = typeof code === 'string' ? code : ((error as Error).name ?? 'Error').slice(0, 64);
    span.setAttribute(ATTR_ERROR_TYPE, type);
    if (typeof code === 'string') span.setAttribute(ATTR_DB_RESPONSE_STATUS_CODE, code);
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end(endTime);
}

/**
 * The span of a statement that already ran, for a caller that decides only afterwards whether it
 * was worth a trace (the worker's aggregation: its links come back with its rows). Made in
 * `parent`, with the pool's server attributes; nothing when the pool is not traced.
 */
export function recordQuerySpan(
  pool: pg.Pool,
  parent: Context,
  statement: Statement,
  startTime: TimeInput,
  endTime: TimeInput,
  error?: unknown,
): void {
  const traced = tracedPools.get(pool);
  if (!traced) return;
  const span = startQuerySpan(traced.tracer, parent, traced.target, statement, startTime);
  endQuerySpan(span, error, endTime);
}
