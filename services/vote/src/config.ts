import { adminConfig } from '@voting/api';
import { databaseConfig } from '@voting/db';
import { portConfig, processConfig } from '@voting/runtime';
import { rateLimitConfig } from '@voting/service';
import { pagesConfig } from '@voting/web';
import { Type } from 'typebox';

export const voteConfig = {
  ...processConfig,
  ...portConfig(8080),
  ...databaseConfig,
  ...pagesConfig,
  ...adminConfig,
  ...rateLimitConfig,
  /** Key of the HMAC that turns an X-Voter-Id into the stored voter key; never store raw voter ids. */
  VOTER_KEY_SECRET: Type.String({ minLength: 16 }),
  /** Most ballots written in one transaction by group commit. */
  VOTE_BATCH_MAX_SIZE: Type.Integer({ minimum: 1, maximum: 5000, default: 500 }),
  /**
   * Group-commit transactions in flight at once (each holds a pooled connection). One, so that
   * everything arriving meanwhile gathers into the next batch: on 2 cores it cost PostgreSQL
   * 60–80 µs of CPU per vote, against 80–96 with 2 and 103–129 with 4 (docs/performance.md).
   */
  VOTE_BATCH_MAX_IN_FLIGHT: Type.Integer({ minimum: 1, maximum: 100, default: 1 }),
  /** How long a closed round's metric series are kept before they are dropped. */
  METRICS_CLOSED_ROUND_TTL_SECONDS: Type.Integer({ minimum: 0, default: 3600 }),
  /**
   * Most rounds with metric series at once; the least recently active are dropped first. Up to
   * ~420, /metrics stays under 256 KB whatever the rounds (docs/performance.md, "Metrics").
   */
  METRICS_MAX_ROUNDS: Type.Integer({ minimum: 1, maximum: 10_000, default: 200 }),
};
