import { createServicePool } from '@voting/db';
import { createLogger, loadConfigOrExit, startHttpService } from '@voting/runtime';
import { buildResultApp } from './app.ts';
import { resultConfig } from './config.ts';

const config = loadConfigOrExit(resultConfig);
const logger = createLogger('result', config.LOG_LEVEL);
const pool = createServicePool('result', config, logger);
const app = await buildResultApp(config, pool, logger);
await startHttpService({
  app,
  port: config.PORT,
  host: config.HOST,
  logger,
  shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  onClose: () => pool.end(),
});
