import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { context, TraceFlags, trace } from '@opentelemetry/api';
import pino, { type LoggerOptions } from 'pino';

/**
 * URL path segments that are secrets of whoever holds them: a ballot's receipt shows that ballot
 * to anyone who has it, so it is no more written to a log than an admin token is.
 */
const SECRET_SEGMENTS = /(\/receipts\/)[^/?#]+/g;

/** A request's URL as logs show it: secret segments replaced by `…`. */
export function loggableUrl(url: string): string {
  return url.replace(SECRET_SEGMENTS, '$1…');
}

/**
 * An error as logs show it: what it is and where it came from. Not its other properties: the pg
 * pool hangs the whole client on the errors of idle connections (`err.client`: the connection's
 * settings, its prepared statements' SQL, buffers — 3.5 KB a line), and another library's error
 * may carry a request or its headers the same way.
 */
function loggableError(error: unknown, depth = 0): object {
  if (!(error instanceof Error)) return { message: String(error) };
  const { code, severity } = error as Error & { code?: unknown; severity?: unknown };
  return {
    type: error.name,
    message: error.message,
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof severity === 'string' ? { severity } : {}),
    stack: error.stack,
    // Causes to a depth of 3: a chain can loop.
    ...(error.cause !== undefined && depth < 3
      ? { cause: loggableError(error.cause, depth + 1) }
      : {}),
  };
}

interface LoggedRequest {
  method: string;
  url: string;
  host?: string;
  ip?: string;
}

/** The ids a log line written inside a sampled trace carries (docs/observability.md). */
export type TraceIds = {
  trace_id: string;
  span_id: string;
};

/**
 * The request loggers of traced requests, with their request span's ids (`bindTraceIds`): Fastify
 * writes some of a request's lines (`request completed`, errors after the handler) outside the
 * request's trace context, through the request's own logger.
 */
const loggerTraces = new WeakMap<object, TraceIds>();

/** Lines written through `logger` carry `ids`, wherever they are written from. */
export function bindTraceIds(logger: object, ids: TraceIds): void {
  loggerTraces.set(logger, ids);
}

/**
 * The trace of a log line: the ids bound to its logger, else the active span's when it is sampled,
 * else nothing. With tracing off there is no span (the API's no-op context manager): no field.
 */
function traceMixin(_merge: object, _level: number, logger: object): object {
  // A fresh object each time: pino merges the line's own fields into it.
  const bound = loggerTraces.get(logger);
  if (bound) return { trace_id: bound.trace_id, span_id: bound.span_id };
  return sampledTraceIds() ?? {};
}

/** The ids of the active span when it is sampled; undefined with tracing off or unsampled. */
export function sampledTraceIds(): TraceIds | undefined {
  const span = trace.getSpan(context.active());
  if (span === undefined) return undefined;
  const { traceId, spanId, traceFlags } = span.spanContext();
  return (traceFlags & TraceFlags.SAMPLED) === 0
    ? undefined
    : { trace_id: traceId, span_id: spanId };
}

/**
 * JSON logs, one line per event, with the service name on every line, and `trace_id`/`span_id`
 * on every line written inside a sampled trace. Requests are logged by method, URL (without
 * secrets), host and client address: never headers (tokens, voter ids) or bodies (ballots,
 * figures), which keeps hidden results out of logs (invariant 8).
 */
export function loggerOptions(service: string, level: string): LoggerOptions {
  return {
    level,
    base: { service },
    mixin: traceMixin,
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: {
      err: loggableError,
      req: (request: LoggedRequest) => ({
        method: request.method,
        url: loggableUrl(request.url),
        host: request.host,
        remoteAddress: request.ip,
      }),
    },
  };
}

/** A service's logger; its lines go to standard output unless a `destination` is given (tests). */
export function createLogger(service: string, level: string, destination?: pino.DestinationStream) {
  return destination
    ? pino(loggerOptions(service, level), destination)
    : pino(loggerOptions(service, level));
}

export type Logger = ReturnType<typeof createLogger>;

const requestIdPattern = /^[\w.:-]{1,100}$/;

/** Keeps a well-formed `X-Request-Id` from a proxy so logs join up across hops; else makes one. */
export function requestId(request: IncomingMessage): string {
  const header = request.headers['x-request-id'];
  return typeof header === 'string' && requestIdPattern.test(header) ? header : randomUUID();
}
