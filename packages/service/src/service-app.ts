import { type Pool, schemaReadiness } from '@voting/db';
import {
  createHttpApp,
  createRegistry,
  type HttpApp,
  type Logger,
  trustedProxyList,
} from '@voting/runtime';
import type { Telemetry } from '@voting/telemetry';
import type { Registry } from 'prom-client';
import { attachRegistry } from './metrics-server.ts';
import { type RateLimitConfig, registerRateLimits } from './rate-limits.ts';
import { SchemaGate } from './schema-gate.ts';

/**
 * What every service is built from: its parsed config, its database pool and its logger; and its
 * tracing (`startTelemetry`), which is off when not given.
 */
export interface ServiceContext<Config> {
  config: Config;
  pool: Pool;
  logger: Logger;
  telemetry?: Telemetry;
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
  { config, pool, logger, telemetry }: ServiceContext<ServiceAppConfig>,
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
    tracing: telemetry?.http,
  });
  if (options.rateLimits) await registerRateLimits(app, options.rateLimits, registry);
  attachRegistry(app, registry);
  // The schema half of readiness only: `alsoReady` may wait on the background work itself.
  gates.set(app, new SchemaGate(schemaReady, logger));
  return { app, registry };
}

const gates = new WeakMap<HttpApp, SchemaGate>();

/** Work a service does besides answering requests: the worker's loop, the result's listener. */
export interface BackgroundWork {
  /** Starts the work; the server is taken as started once this resolves. */
  start: () => void | Promise<void>;
  /** Finishes what is in flight and stops; safe to call when never started. */
  stop: () => Promise<void>;
}

/**
 * Background work lives while the server listens, on a current schema: once the app listens it
 * waits for the schema check of readiness to pass (re-checking with backoff, SchemaGate), then
 * starts; it stops before the app closes (before its database pool ends). On a current schema it
 * has started when `listen` resolves, as it always did; during an upgrade `listen` resolves at
 * once, the probes answer (not ready) and the work starts when the migrations Job is done. Tests
 * that `inject` requests into an app never listen, so they drive the work by hand, step by step.
 */
export function runInBackground(app: HttpApp, work: BackgroundWork): void {
  const gate = gates.get(app);
  if (!gate) throw new Error('runInBackground takes an app made by createServiceApp');
  let stopping = false;
  let started: Promise<void> = Promise.resolve();
  app.addHook('onListen', async () => {
    started = gate.open().then(async (current) => {
      if (current && !stopping) await work.start();
    });
    if (await gate.firstCheck()) await started;
    else started.catch((err) => app.log.error({ err }, 'background work failed to start'));
  });
  app.addHook('preClose', async () => {
    stopping = true;
    gate.close();
    await started.catch(() => undefined);
    await work.stop();
  });
}
