import { createPool } from '@voting/db';
import { createLogger, loadConfigOrExit, startHttpService } from '@voting/runtime';
import { buildWorkerApp } from './app.ts';
import { workerConfig } from './config.ts';

const config = loadConfigOrExit(workerConfig);
const logger = createLogger('worker', config.LOG_LEVEL);
const pool = createPool({
  connectionString: config.DATABASE_URL,
  max: config.DATABASE_POOL_SIZE,
  applicationName: 'worker',
  onError: (err) => logger.warn({ err }, 'idle database connection lost'),
});
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
