import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import pino, { type LoggerOptions } from 'pino';

/** JSON logs, one line per event, with the service name on every line. */
export function loggerOptions(service: string, level: string): LoggerOptions {
  return {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: ['req.headers.authorization', 'req.headers["x-voter-id"]'],
  };
}

export function createLogger(service: string, level: string) {
  return pino(loggerOptions(service, level));
}

export type Logger = ReturnType<typeof createLogger>;

const requestIdPattern = /^[\w.:-]{1,100}$/;

/** Keeps a well-formed `X-Request-Id` from a proxy so logs join up across hops; else makes one. */
export function requestId(request: IncomingMessage): string {
  const header = request.headers['x-request-id'];
  return typeof header === 'string' && requestIdPattern.test(header) ? header : randomUUID();
}
