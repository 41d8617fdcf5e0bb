import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import { Type } from 'typebox';
import {
  AppError,
  databaseUnavailable,
  errorForStatus,
  isDatabaseUnavailable,
  rawErrorResponse,
  sendError,
} from './errors.ts';
import type { HttpApp, HttpAppOptions } from './http-types.ts';
import { bindTraceIds, requestId, sampledTraceIds, type TraceIds } from './logger.ts';
import { createHttpDurationHistogram } from './metrics.ts';
import { registerHealthRoutes } from './routes/health.ts';
import { validatorCompiler } from './validation.ts';

export type { HttpApp, HttpAppOptions, HttpTracing } from './http-types.ts';
export { canonicalLowerCase } from './validation.ts';

export const ErrorSchema = Type.Object(
  { error: Type.String(), message: Type.String() },
  { $id: 'Error', description: 'Every error answer: a stable code and a human message.' },
);

/** Request bodies above 64 KiB are refused with 413 before they are parsed. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Builds the Fastify app every service starts from: JSON logs with request ids, the one error
 * handler, request duration metrics, health endpoints and the OpenAPI document. Services add
 * their own routes to the returned app.
 */
export async function createHttpApp(options: HttpAppOptions): Promise<HttpApp> {
  const logController = options.tracing
    ? new IncomingLoggedInTrace({
        disableRequestLogging: () => !options.logger.isLevelEnabled('debug'),
      })
    : undefined;
  const app = Fastify({
    loggerInstance: options.logger,
    genReqId: requestId,
    requestIdHeader: false,
    bodyLimit: BODY_LIMIT_BYTES,
    // A log line per request costs throughput on the vote path; they appear at LOG_LEVEL=debug.
    logController:
      logController ??
      new LogController({
        disableRequestLogging: () => !options.logger.isLevelEnabled('debug'),
      }),
    // Shutdown (gracefulHttpClose in lifecycle.ts, installed by runService): a request that
    // arrives once the app is closing gets the project's 503 JSON from its hook, not Fastify's.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    // The whole request, headers and body (at most 64 KiB), must arrive within 10 s; a vote is a
    // few hundred bytes, and 64 KiB takes ~5 s even at 100 kbit/s. A client trickling bytes
    // (slowloris) is answered 408 and closed instead of holding a connection. Receiving only: a
    // long response (a stream, an export) is not limited by it.
    requestTimeout: 10_000,
    http: {
      headersTimeout: 10_000,
      // How often Node looks for requests past those limits (default 30 s, which would make a
      // 10 s limit up to 40 s).
      connectionsCheckingInterval: 1000,
    },
    // An idle keep-alive connection is closed after 72 s: longer than the 60 s idle timeout of
    // common load balancers and proxies, so they close first and never send a request on a
    // connection this server is closing.
    keepAliveTimeout: 72_000,
    // A connection on which nothing moves for 10 min (a client that stopped reading a response)
    // is closed. Above the longest stream heartbeat (STREAM_HEARTBEAT_SECONDS ≤ 300), so a quiet
    // stream that still gets its heartbeats is never cut.
    connectionTimeout: 600_000,
    // Errors met before routing (a URL that is not valid percent-encoding): the JSON error too.
    frameworkErrors: answerFrameworkError,
    // `request.ip` is the client's address everywhere (rate limits, the stream cap per address,
    // logs): X-Forwarded-For counts only when the peer is a trusted proxy, and then its last
    // address that is not one; from anyone else it is ignored, so nobody picks their own address.
    trustProxy: options.trustedProxies?.length ? [...options.trustedProxies] : false,
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as HttpApp;
  // First: its request span starts before every other hook and route (docs/observability.md).
  if (options.tracing) await options.tracing.register(app);
  app.setValidatorCompiler(validatorCompiler);
  app.addSchema(ErrorSchema);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: `${options.service} service`, version: options.version ?? '0.1.0' },
    },
  });

  // Callback-style hooks: an async hook costs a promise and a microtask per request, which the
  // vote path (~150 µs of CPU per vote, docs/performance.md) notices.
  const duration = createHttpDurationHistogram(options.registry, {
    exemplars: options.tracing !== undefined,
  });
  // Traced, each sampled request's ids (its request span, active when this hook runs after the
  // tracing plugin's) go to its exemplar and to every line of its logger; untraced, nothing.
  const traces = options.tracing ? new WeakMap<FastifyRequest, TraceIds>() : undefined;
  app.addHook(
    'onRequest',
    traces
      ? (request, reply, done) => {
          reply.header('x-request-id', request.id);
          const ids = sampledTraceIds();
          if (ids) {
            traces.set(request, ids);
            bindTraceIds(request.log, ids);
          }
          logController?.logIncoming(request, reply);
          done();
        }
      : (request, reply, done) => {
          reply.header('x-request-id', request.id);
          done();
        },
  );
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    duration.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
      traces?.get(request),
    );
    if (reply.statusCode >= 500)
      request.log.warn({ route, statusCode: reply.statusCode }, 'request failed');
    done();
  });

  app.setErrorHandler((error: FastifyError, request, reply) =>
    sendError(reply, toAppError(error, request.log)),
  );
  app.setNotFoundHandler((request, reply) =>
    sendError(
      reply,
      new AppError(404, 'not_found', `no route for ${request.method} ${request.url.split('?')[0]}`),
    ),
  );
  acceptJsonBodiesOnly(app);
  // Every error is the project's JSON error, whichever layer answered it: a plugin's text/plain
  // refusal (CORS answers a non-preflight OPTIONS so) or an empty error body becomes one here.
  app.addHook('onSend', (request, reply, payload, done) => {
    if (reply.statusCode < 400 || isJson(reply.getHeader('content-type'))) {
      done(null, payload);
      return;
    }
    const text = typeof payload === 'string' ? payload : '';
    if (isStream(payload)) payload.destroy();
    const error =
      request.method === 'OPTIONS' && reply.statusCode === 400
        ? new AppError(400, 'invalid_request', notAPreflight)
        : errorForStatus(reply.statusCode, text);
    request.log.debug({ statusCode: reply.statusCode }, 'non-JSON error answer made JSON');
    reply.type('application/json; charset=utf-8');
    done(null, JSON.stringify({ error: error.code, message: error.message }));
  });
  answerSocketErrors(app.server, options.logger);

  registerHealthRoutes(app, options);
  return app;
}

/**
 * Traced, Fastify's `incoming request` line (debug level here) is written by the first hook after
 * the request span started rather than before any hook, so that it carries the request's trace ids
 * like every other line of the request.
 */
class IncomingLoggedInTrace extends LogController {
  override incomingRequest(): void {}

  logIncoming(request: FastifyRequest, reply: FastifyReply): void {
    super.incomingRequest(request, reply);
  }
}

/**
 * Request bodies are JSON, nothing else: a body of any other content type (or none) is 415, one
 * that is not JSON is 400 `invalid_json`. An empty body is no body: accepted on a route that takes
 * none, such as `POST /rounds/:id/close`, whatever its content type (many HTTP libraries send
 * `Content-Type: application/json` with nothing, curl `-d ''` a form type); on a route that takes
 * one it is 400 `invalid_json` (415 when it is not even said to be JSON).
 */
function acceptJsonBodiesOnly(app: HttpApp): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  const takesNoBody = (request: FastifyRequest) => request.routeOptions.schema?.body === undefined;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body.length === 0 && takesNoBody(request)) done(null, undefined);
    else parseJson(request, body as string, done);
  });
  app.addContentTypeParser('*', { parseAs: 'string' }, (request, body, done) => {
    if (body.length === 0 && takesNoBody(request)) done(null, undefined);
    else done(unsupportedMediaType(), undefined);
  });
}

const notAPreflight =
  'OPTIONS is answered only as a CORS preflight, with Origin and Access-Control-Request-Method';

const unsupportedMediaType = () =>
  new AppError(
    415,
    'unsupported_media_type',
    'request bodies are JSON: send Content-Type: application/json',
  );

const isJson = (type: unknown) => typeof type === 'string' && /^application\/json\b/i.test(type);
const isStream = (payload: unknown): payload is { destroy: () => void } =>
  typeof (payload as { pipe?: unknown } | null)?.pipe === 'function' &&
  typeof (payload as { destroy?: unknown }).destroy === 'function';

/** Fastify's errors before a route is found: a URL that cannot be decoded, a too long parameter. */
function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  reply.header('x-request-id', request.id);
  return sendError(reply, toAppError(error, request.log));
}

/**
 * What the socket is answered before Fastify sees a request: an unparseable request, oversized
 * headers or a request timeout get the JSON error (400, 431, 408) and the connection is closed;
 * a CONNECT (which Node hands to a `connect` listener, or else drops without a word) gets 405; an
 * `Expect` other than `100-continue` gets 417 (Node's own answer has no body).
 */
function answerSocketErrors(server: Server, logger: FastifyBaseLogger): void {
  for (const listener of server.listeners('clientError'))
    server.removeListener('clientError', listener as (...args: unknown[]) => void);
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    logger.debug({ err: error }, 'client error');
    // Node took its own error listener off this socket before telling us: a late error (the
    // client going away) must not become an uncaught exception.
    socket.on('error', () => {});
    // A response already under way on this connection cannot be followed by another one.
    const inFlight = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (socket.writable && !inFlight?.headersSent) {
      socket.write(rawErrorResponse(clientErrorAnswer(error)));
    }
    (socket as Socket).destroySoon();
  });
  server.on('connect', (_request, socket: Duplex) => {
    socket.on('error', () => {});
    socket.write(
      rawErrorResponse(new AppError(405, 'method_not_allowed', 'CONNECT is not supported here')),
    );
    (socket as Socket).destroySoon();
  });
  server.on('checkExpectation', (request, response) => {
    const error = new AppError(
      417,
      'expectation_failed',
      `Expect: ${String(request.headers.expect).slice(0, 100)} is not supported; only 100-continue is`,
    );
    const body = JSON.stringify({ error: error.code, message: error.message });
    response.writeHead(error.statusCode, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      connection: 'close',
    });
    response.end(body);
  });
}

function clientErrorAnswer(error: NodeJS.ErrnoException): AppError {
  switch (error.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new AppError(408, 'request_timeout', 'the request took too long to arrive');
    case 'HPE_HEADER_OVERFLOW':
      return new AppError(431, 'headers_too_large', 'the request headers are too large');
    default:
      return new AppError(
        400,
        'invalid_request',
        `the request is not HTTP this server can read (${error.code ?? 'parse error'})`,
      );
  }
}

/** Fastify's own client errors: status, code, and a message saying what to send instead. */
const fastifyClientErrors: Record<string, [number, string, string?]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'payload_too_large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [
    415,
    'unsupported_media_type',
    'request bodies are JSON: send Content-Type: application/json',
  ],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'invalid_request'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'invalid_json'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'invalid_json', 'the body is not valid JSON'],
  FST_ERR_BAD_URL: [
    400,
    'invalid_request',
    'the URL is not valid: a % must start a percent-encoded UTF-8 byte (%XX)',
  ],
  FST_ERR_MAX_PARAM_LENGTH: [414, 'uri_too_long', 'a path segment of the URL is too long'],
};

function toAppError(error: FastifyError, log: FastifyBaseLogger): AppError {
  if (error instanceof AppError) return error;
  if (error.validation) {
    const where = error.validationContext ?? 'request';
    return new AppError(400, 'invalid_request', `${where}${error.message.replace(/^\w+/, '')}`);
  }
  const known = error.code ? fastifyClientErrors[error.code] : undefined;
  if (known) return new AppError(known[0], known[1], known[2] ?? error.message);
  if (error instanceof SyntaxError)
    return new AppError(400, 'invalid_json', 'the body is not valid JSON');
  if (isDatabaseUnavailable(error)) {
    log.warn({ err: error }, 'database unavailable');
    return databaseUnavailable();
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new AppError(error.statusCode, 'bad_request', error.message);
  }
  log.error({ err: error }, 'unexpected error');
  return new AppError(500, 'internal_error', 'something went wrong on our side');
}
