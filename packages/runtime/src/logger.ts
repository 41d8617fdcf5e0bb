import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
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

/**
 * JSON logs, one line per event, with the service name on every line. Requests are logged by
 * method, URL (without secrets), host and client address: never headers (tokens, voter ids) or
 * bodies (ballots, figures), which keeps hidden results out of logs (invariant 8).
 */
export function loggerOptions(service: string, level: string): LoggerOptions {
  return {
    level,
    base: { service },
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
