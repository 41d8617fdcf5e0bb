import { createServicePool, type databaseConfig } from '@voting/db';
import {
  closeOnSignal,
  createLogger,
  gracefulHttpClose,
  loadConfigOrExit,
  type portConfig,
  type processConfig,
} from '@voting/runtime';
import { startTelemetry } from '@voting/telemetry';
import type { Static, TObject } from 'typebox';
import manifest from '../package.json' with { type: 'json' };
import {
  closeMetrics,
  createMetricsServer,
  listenMetrics,
  metricsPort,
  registryOf,
} from './metrics-server.ts';
import type { BuildService } from './service-app.ts';

/** The settings `runService` itself reads; every service's config includes them. */
type RunnableConfig = typeof processConfig & ReturnType<typeof portConfig> & typeof databaseConfig;

/**
 * A service's main: parses its environment once (exiting with a message naming a bad variable),
 * builds the app on a pool of its own, listens on PORT and serves its metrics on METRICS_PORT, and
 * on SIGTERM/SIGINT stops taking requests, answers those in flight, stops background work, stops
 * the metrics listener and ends the pool, within SHUTDOWN_TIMEOUT_MS.
 */
export async function runService<P extends RunnableConfig>(
  service: string,
  properties: P,
  build: BuildService<Static<TObject<P>>>,
): Promise<void> {
  const config = loadConfigOrExit(properties);
  const settings = config as Static<TObject<RunnableConfig>>;
  let port: number;
  try {
    port = metricsPort(settings);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
  const logger = createLogger(service, settings.LOG_LEVEL);
  // Off unless OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT is set: then nothing below changes.
  const telemetry = await startTelemetry(service, { version: manifest.version, logger });
  if (telemetry.settings)
    logger.info(
      {
        endpoint: telemetry.settings.endpoint,
        sampler: telemetry.settings.sampler,
        ratio: telemetry.settings.ratio,
      },
      'tracing on',
    );
  for (const warning of telemetry.settings?.warnings ?? []) logger.warn(warning);
  const pool = createServicePool(service, settings, logger, telemetry.tracer);
  const { app } = await build({ config, pool, logger, telemetry });
  const metrics = createMetricsServer(registryOf(app), logger);
  // The metrics port first: a port already taken stops the process before it takes any traffic.
  await listenMetrics(metrics, port, settings.HOST);
  const closeApp = gracefulHttpClose(app);
  await app.listen({ port: settings.PORT, host: settings.HOST });
  logger.info({ port, host: settings.HOST }, 'metrics listening (GET /metrics)');
  closeOnSignal(
    {
      close: async () => {
        // New connections refused at once; every request received is answered, then it closes.
        await closeApp();
        // After the app: a scrape during the drain still sees it.
        await closeMetrics(metrics);
        await pool.end();
        // Last: the spans of the requests and work above go out before the process does.
        await telemetry.shutdown();
      },
    },
    logger,
    settings.SHUTDOWN_TIMEOUT_MS,
  );
}
