import { type Pool, schemaReadiness } from '@voting/db';
import {
  createHttpApp,
  createRegistry,
  type HttpApp,
  type Logger,
  trustedProxyList,
} from '@voting/runtime';
import type { Registry } from 'prom-client';
import { attachRegistry } from './metrics-server.ts';
import { type RateLimitConfig, registerRateLimits } from './rate-limits.ts';

/** What every service is built from: its parsed config, its database pool and its logger. */
export interface ServiceContext<Config> {
  config: Config;
  pool: Pool;
  logger: Logger;
}

/**
 * The one builder signature of vote, result and worker: from a context to the app, plus the
 * parts a test may drive by hand (the worker's loop). `runService` runs any of them.
 */
export type BuildService<Config, Parts extends object = object> = (
  context: ServiceContext<Config>,
) => Promise<{ app: HttpApp } & Parts>;

export interface ServiceAppOptions {
  /** Besides a reachable database with a current schema, what else readiness needs, if anything. */
  alsoReady?: () => string | null;
  /**
   * The per-client rate limits of a service the public calls (vote, result: `rateLimitConfig`);
   * without them, none (the worker, whose HTTP port serves probes only).
   */
  rateLimits?: RateLimitConfig;
}

/** What `createServiceApp` reads of the config: TRUSTED_PROXIES (processConfig, every service). */
interface ServiceAppConfig {
  TRUSTED_PROXIES?: string;
}

/**
 * The app every service starts from, with its own metrics registry (served on the metrics port by
 * `runService`, read in-process with `scrapeMetrics`; the app's own port has no `/metrics`).
 * Every service has the same readiness rule: the database answers and its schema is current (a
 * replica of older code on a newer schema is ready too: migrations only add), then whatever
 * `alsoReady` adds. `/readyz` gives the check at most a second (packages/runtime routes/health.ts);
 * probes that arrive while a check is under way share it, so a database that does not answer
 * holds one pooled connection for readiness, never one per probe. Client addresses follow
 * TRUSTED_PROXIES; the rate limits, when given, are registered before any route of the service.
 */
export async function createServiceApp(
  service: string,
  { config, pool, logger }: ServiceContext<ServiceAppConfig>,
  options: ServiceAppOptions = {},
): Promise<{ app: HttpApp; registry: Registry }> {
  const registry = createRegistry(service);
  const schemaReady = schemaReadiness(pool);
  let checking: Promise<string | null> | undefined;
  const check = async () => (await schemaReady()) ?? options.alsoReady?.() ?? null;
  const app = await createHttpApp({
    service,
    logger,
    registry,
    readiness: () => {
      checking ??= check().finally(() => {
        checking = undefined;
      });
      return checking;
    },
    trustedProxies: trustedProxyList(config.TRUSTED_PROXIES ?? ''),
  });
  if (options.rateLimits) await registerRateLimits(app, options.rateLimits, registry);
  attachRegistry(app, registry);
  return { app, registry };
}

/** Work a service does besides answering requests: the worker's loop, the result's listener. */
export interface BackgroundWork {
  /** Starts the work; the server is taken as started once this resolves. */
  start: () => void | Promise<void>;
  /** Finishes what is in flight and stops; safe to call when never started. */
  stop: () => Promise<void>;
}

/**
 * Background work lives while the server listens: it starts once the app listens and stops
 * before the app closes (before its database pool ends). Tests that `inject` requests into an
 * app never listen, so they drive the work by hand, step by step.
 */
export function runInBackground(app: HttpApp, work: BackgroundWork): void {
  app.addHook('onListen', async () => {
    await work.start();
  });
  app.addHook('preClose', () => work.stop());
}
