import { baseConfig } from '@voting/runtime';
import { Type } from 'typebox';

export const voteConfig = {
  ...baseConfig,
  PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 8080 }),
  /** When set, creating rounds requires `Authorization: Bearer <ADMIN_API_KEY>`; it also administers every round. */
  ADMIN_API_KEY: Type.Optional(Type.String({ minLength: 16 })),
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
};
