import { AppError, sendError } from '../errors.ts';
import type { HttpApp, HttpAppOptions } from '../http-types.ts';

/** The operational routes every service answers, hidden from the OpenAPI document. */
export function registerHealthRoutes(app: HttpApp, options: HttpAppOptions): void {
  const hidden = { hide: true } as const;
  // Seed-compatible liveness answer.
  app.get('/health', { schema: hidden }, async () => ({ status: 'ok', service: options.service }));
  // Alive = the event loop answers; it never touches the database, so a database outage does
  // not make Kubernetes restart healthy pods.
  app.get('/livez', { schema: hidden }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: hidden }, async (_request, reply) => {
    const problem = await options.readiness().catch((error: Error) => error.message);
    if (problem === null) return { status: 'ready' };
    return sendError(reply, new AppError(503, 'not_ready', problem));
  });
  app.get('/metrics', { schema: hidden }, async (_request, reply) => {
    reply.type(options.registry.contentType);
    return options.registry.metrics();
  });
  app.get('/openapi.json', { schema: hidden }, async () => app.swagger());
}
