import { STATUS_CODES } from 'node:http';
import type { FastifyReply } from 'fastify';
/**
 * The one error type the services raise on purpose. Its `code` is the stable `error` field of
 * the JSON body and its `message` is shown to people; neither ever carries SQL or a stack.
 */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (code: string, message: string) => new AppError(404, code, message);
export const conflict = (code: string, message: string) => new AppError(409, code, message);
export const badRequest = (code: string, message: string) => new AppError(400, code, message);
export const unauthorized = (message: string) => new AppError(401, 'unauthorized', message);
export const forbidden = (code: string, message: string) => new AppError(403, code, message);
export const databaseUnavailable = () =>
  new AppError(503, 'database_unavailable', 'the database cannot be reached; try again shortly');

/** The body shape of every error answer. */
export interface ErrorBody {
  error: string;
  message: string;
}

// Node socket errors and PostgreSQL SQLSTATEs that mean "the database is not reachable right now"
// (class 08 connection exceptions, 57P01–57P03 shutdown/crash/starting up, 53300 too many clients).
const unavailableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  // query_canceled: statement_timeout fired (DATABASE_STATEMENT_TIMEOUT_MS), the database too
  // slow to answer; a read then gets 503 like any other outage, not 500.
  '57014',
]);
const unavailableMessages = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  /connect ECONNREFUSED/i,
  // node-postgres' client-side query_timeout: the server did not answer at all (frozen).
  /Query read timeout/i,
];

export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (unavailableCodes.has(code) || code.startsWith('08')))
    return true;
  if (error instanceof AggregateError) return error.errors.some(isDatabaseUnavailable);
  return unavailableMessages.some((pattern) => pattern.test(error.message));
}

/** Answers with the JSON error body every error of every service has. */
export function sendError(reply: FastifyReply, error: AppError): FastifyReply {
  const body: ErrorBody = { error: error.code, message: error.message };
  return reply.status(error.statusCode).type('application/json; charset=utf-8').send(body);
}

/** The stable code of an error status when no layer said more (a plugin's or the parser's). */
const codesByStatus: Record<number, string> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  408: 'request_timeout',
  411: 'length_required',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
  431: 'headers_too_large',
  500: 'internal_error',
  501: 'not_implemented',
  503: 'service_unavailable',
};

/**
 * The JSON error for a status that some layer answered without one (a plugin's text/plain, an
 * empty body): its code by status, and the layer's own text when it is a short line of text.
 */
export function errorForStatus(statusCode: number, text = ''): AppError {
  const code = codesByStatus[statusCode] ?? (statusCode >= 500 ? 'internal_error' : 'bad_request');
  const line = text.trim();
  const readable = line.length > 0 && line.length <= 200 && /^[\x20-\x7e]+$/.test(line);
  const message = readable ? line : (STATUS_CODES[statusCode] ?? 'error').toLowerCase();
  return new AppError(statusCode, code, message);
}

/**
 * A whole HTTP/1.1 response carrying the JSON error, for the answers written straight to a socket
 * before any request object exists (unparseable requests, CONNECT); it closes the connection.
 */
export function rawErrorResponse(error: AppError): string {
  const body = JSON.stringify({ error: error.code, message: error.message } satisfies ErrorBody);
  return (
    `HTTP/1.1 ${error.statusCode} ${STATUS_CODES[error.statusCode] ?? 'Error'}\r\n` +
    'Content-Type: application/json; charset=utf-8\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    'Connection: close\r\n\r\n' +
    body
  );
}
