import { createServicePool } from '@voting/db';
import { createLogger, loadConfigOrExit, startHttpService } from '@voting/runtime';
import { buildWorkerApp } from './app.ts';
import { workerConfig } from './config.ts';

const config = loadConfigOrExit(workerConfig);
const logger = createLogger('worker', config.LOG_LEVEL);
const pool = createServicePool('worker', config, logger);
const { app, loop } = await buildWorkerApp(config, pool, logger);
loop.start();
await startHttpService({
  app,
  port: config.PORT,
  host: config.HOST,
  logger,
  shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  onClose: async () => {
    await loop.stop();
    await pool.end();
  },
});
