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
]);
const unavailableMessages = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  /connect ECONNREFUSED/i,
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
