import { createServicePool, type databaseConfig } from '@voting/db';
import {
  closeOnSignal,
  createLogger,
  loadConfigOrExit,
  type portConfig,
  type processConfig,
} from '@voting/runtime';
import type { Static, TObject } from 'typebox';
import type { BuildService } from './service-app.ts';

/** The settings `runService` itself reads; every service's config includes them. */
type RunnableConfig = typeof processConfig & ReturnType<typeof portConfig> & typeof databaseConfig;

/**
 * A service's main: parses its environment once (exiting with a message naming a bad variable),
 * builds the app on a pool of its own, listens, and on SIGTERM/SIGINT stops taking requests,
 * answers those in flight, stops background work and ends the pool, within SHUTDOWN_TIMEOUT_MS.
 */
export async function runService<P extends RunnableConfig>(
  service: string,
  properties: P,
  build: BuildService<Static<TObject<P>>>,
): Promise<void> {
  const config = loadConfigOrExit(properties);
  const settings = config as Static<TObject<RunnableConfig>>;
  const logger = createLogger(service, settings.LOG_LEVEL);
  const pool = createServicePool(service, settings, logger);
  const { app } = await build({ config, pool, logger });
  await app.listen({ port: settings.PORT, host: settings.HOST });
  closeOnSignal(
    {
      close: async () => {
        await app.close();
        await pool.end();
      },
    },
    logger,
    settings.SHUTDOWN_TIMEOUT_MS,
  );
}
