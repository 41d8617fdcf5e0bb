import { AppError, sendError } from '../errors.ts';
import type { HttpApp, HttpAppOptions } from '../http-types.ts';

/**
 * How long `/readyz` waits for the readiness check before it answers 503: under the 1 s it
 * promises whatever the database does (frozen, unreachable, dropping packets), with room for the
 * answer itself. Kubernetes probes give it 3 s.
 */
export const READINESS_TIMEOUT_MS = 800;

const UNDECIDED = 'readiness could not be checked in time: the database is slow or unreachable';
const FAILED = 'readiness could not be checked: the database cannot be reached';

/**
 * The operational routes every service answers, hidden from the OpenAPI document. `/metrics` is
 * not one of them: it is served on a port of its own (METRICS_PORT, @voting/service), which the
 * public Services and the Ingress never expose.
 */
export function registerHealthRoutes(app: HttpApp, options: HttpAppOptions): void {
  const hidden = { hide: true } as const;
  // Seed-compatible liveness answer.
  app.get('/health', { schema: hidden }, async () => ({ status: 'ok', service: options.service }));
  // Alive = the event loop answers; it never touches the database, so a database outage does
  // not make Kubernetes restart healthy pods.
  app.get('/livez', { schema: hidden }, async () => ({ status: 'ok' }));
  // Ready = the readiness check says so within READINESS_TIMEOUT_MS. Its own reasons (schema
  // behind, listener down) are shown; a thrown error is logged and answered with a fixed
  // sentence, since a driver's message names the database's address.
  app.get('/readyz', { schema: hidden }, async (request, reply) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(UNDECIDED), READINESS_TIMEOUT_MS);
    });
    const checked = options.readiness().catch((err: unknown) => {
      request.log.warn({ err }, 'readiness check failed');
      return FAILED;
    });
    const problem = await Promise.race([checked, timeout]).finally(() => clearTimeout(timer));
    if (problem === null) return { status: 'ready' };
    if (problem === UNDECIDED) request.log.warn('readiness check did not finish in time');
    return sendError(reply, new AppError(503, 'not_ready', problem));
  });
  app.get('/openapi.json', { schema: hidden }, async () => app.swagger());
}
