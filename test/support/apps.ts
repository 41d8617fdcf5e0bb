import type { Pool } from '@voting/db';
import { createLogger, type HttpApp, type Logger, loadConfig } from '@voting/runtime';
import type { Telemetry } from '@voting/telemetry';
import { buildResultApp } from '../../services/result/src/app.ts';
import { resultConfig } from '../../services/result/src/config.ts';
import { buildVoteApp } from '../../services/vote/src/app.ts';
import { voteConfig } from '../../services/vote/src/config.ts';
import { buildWorkerApp, type WorkerApp } from '../../services/worker/src/app.ts';
import { workerConfig } from '../../services/worker/src/config.ts';

const quiet = () => createLogger('test', process.env.TEST_LOG_LEVEL ?? 'silent');
export const TEST_VOTER_KEY_SECRET = 'test-voter-key-secret-0123456789';

/**
 * The per-client rate limits are off in test apps: every request of a test comes from one
 * address (inject's 127.0.0.1), and suites send thousands (the fuzzer ~5,700, the vote tests
 * hundreds of concurrent ballots). A test of the limits passes `RATE_LIMITS: 'on'`
 * (test/rate-limits.test.ts); the limiter itself: packages/service/src/rate-limits-http.test.ts.
 */
const NO_RATE_LIMITS = { RATE_LIMITS: 'off' };

/**
 * The vote service as `npm start` builds it, configured through the same parser. Tracing is off
 * unless a test passes the service's `startTelemetry` (test/tracing.test.ts).
 */
export async function testVoteApp(
  url: string,
  pool: Pool,
  env: Record<string, string> = {},
  logger: Logger = quiet(),
  telemetry?: Telemetry,
): Promise<HttpApp> {
  const config = loadConfig(voteConfig, {
    DATABASE_URL: url,
    VOTER_KEY_SECRET: TEST_VOTER_KEY_SECRET,
    ...NO_RATE_LIMITS,
    ...env,
  });
  return (await buildVoteApp({ config, pool, logger, telemetry })).app;
}

export async function testResultApp(
  url: string,
  pool: Pool,
  env: Record<string, string> = {},
  logger: Logger = quiet(),
  telemetry?: Telemetry,
): Promise<HttpApp> {
  const config = loadConfig(resultConfig, { DATABASE_URL: url, ...NO_RATE_LIMITS, ...env });
  return (await buildResultApp({ config, pool, logger, telemetry })).app;
}

/**
 * The worker with its loop. The loop runs only once the app listens (as under `npm start`);
 * tests that never listen step it with `loop.runOnce()`.
 */
export async function testWorkerApp(
  url: string,
  pool: Pool,
  env: Record<string, string> = {},
  logger: Logger = quiet(),
  telemetry?: Telemetry,
): Promise<WorkerApp> {
  const config = loadConfig(workerConfig, { DATABASE_URL: url, ...env });
  return buildWorkerApp({ config, pool, logger, telemetry });
}

/** POST with a JSON body through `inject` (no socket), returning status and parsed body. */
export async function postJson(
  app: HttpApp,
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const response = await app.inject({ method: 'POST', url, payload: body as object, headers });
  return { status: response.statusCode, body: response.json() };
}

export async function getJson(app: HttpApp, url: string, headers: Record<string, string> = {}) {
  const response = await app.inject({ method: 'GET', url, headers });
  return { status: response.statusCode, body: response.json() };
}
