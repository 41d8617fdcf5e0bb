import { databaseConfig } from '@voting/db';
import { portConfig, processConfig } from '@voting/runtime';
import { Type } from 'typebox';

export const workerConfig = {
  ...processConfig,
  ...portConfig(8082),
  ...databaseConfig,
  /** Pause between loops when there is no work. Bounds how stale a live stream can be. */
  WORKER_POLL_INTERVAL_MS: Type.Integer({ minimum: 10, maximum: 60_000, default: 100 }),
  /** Ballot changes applied per transaction. */
  WORKER_BATCH_SIZE: Type.Integer({ minimum: 1, maximum: 100_000, default: 2000 }),
  /** Least time between two stored re-tabulations of one open ranked round. */
  WORKER_TABULATION_INTERVAL_MS: Type.Integer({ minimum: 0, maximum: 60_000, default: 500 }),
};
