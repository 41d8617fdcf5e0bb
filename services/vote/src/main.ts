import { createServicePool } from '@voting/db';
import { createLogger, loadConfigOrExit, startHttpService } from '@voting/runtime';
import { buildVoteApp } from './app.ts';
import { voteConfig } from './config.ts';

const config = loadConfigOrExit(voteConfig);
const logger = createLogger('vote', config.LOG_LEVEL);
const pool = createServicePool('vote', config, logger);
const app = await buildVoteApp({ config, pool, logger });
await startHttpService({
  app,
  port: config.PORT,
  host: config.HOST,
  logger,
  shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  onClose: () => pool.end(),
});
