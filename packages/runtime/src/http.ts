import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyError, LogController } from 'fastify';
import { Type } from 'typebox';
import { AppError, databaseUnavailable, isDatabaseUnavailable, sendError } from './errors.ts';
import type { HttpApp, HttpAppOptions } from './http-types.ts';
import { requestId } from './logger.ts';
import { createHttpDurationHistogram } from './metrics.ts';
import { registerHealthRoutes } from './routes/health.ts';
import { validatorCompiler } from './validation.ts';

export type { HttpApp, HttpAppOptions } from './http-types.ts';

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
  const app = Fastify({
    loggerInstance: options.logger,
    genReqId: requestId,
    requestIdHeader: false,
    bodyLimit: BODY_LIMIT_BYTES,
    // A log line per request costs throughput on the vote path; they appear at LOG_LEVEL=debug.
    logController: new LogController({
      disableRequestLogging: () => !options.logger.isLevelEnabled('debug'),
    }),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as HttpApp;
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
  const duration = createHttpDurationHistogram(options.registry);
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    duration.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
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

  registerHealthRoutes(app, options);
  return app;
}

const fastifyClientErrors: Record<string, [number, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'payload_too_large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'invalid_request'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'invalid_json'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'invalid_json'],
};

function toAppError(error: FastifyError, log: FastifyBaseLogger): AppError {
  if (error instanceof AppError) return error;
  if (error.validation) {
    const where = error.validationContext ?? 'request';
    return new AppError(400, 'invalid_request', `${where}${error.message.replace(/^\w+/, '')}`);
  }
  const known = error.code ? fastifyClientErrors[error.code] : undefined;
  if (known) return new AppError(known[0], known[1], error.message);
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
