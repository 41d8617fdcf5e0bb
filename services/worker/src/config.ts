import { databaseConfig, listenConfig } from '@voting/db';
import { portConfig, processConfig } from '@voting/runtime';
import { Type } from 'typebox';

export const workerConfig = {
  ...processConfig,
  ...portConfig(8082),
  ...databaseConfig,
  // The LISTEN connection that wakes an idle worker (ballots_pending).
  ...listenConfig,
  /**
   * Pause between loops when there is no work and no vote replica has said ballots are waiting
   * (it does after each commit): the fallback should a notification be lost with a connection.
   */
  WORKER_POLL_INTERVAL_MS: Type.Integer({ minimum: 10, maximum: 60_000, default: 100 }),
  /** Ballot changes applied per transaction. */
  WORKER_BATCH_SIZE: Type.Integer({ minimum: 1, maximum: 100_000, default: 2000 }),
  /** Least time between two stored re-tabulations of one open ranked round. */
  WORKER_TABULATION_INTERVAL_MS: Type.Integer({ minimum: 0, maximum: 60_000, default: 500 }),
};
