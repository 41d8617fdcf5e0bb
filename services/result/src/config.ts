import { adminConfig } from '@voting/api';
import { databaseConfig } from '@voting/db';
import { portConfig, processConfig } from '@voting/runtime';
import { pagesConfig } from '@voting/web';
import { Type } from 'typebox';

export const resultConfig = {
  ...processConfig,
  ...portConfig(8081),
  ...databaseConfig,
  ...pagesConfig,
  ...adminConfig,
  /**
   * Where the stream's LISTEN connection goes, when it must bypass a transaction-pooling
   * PgBouncer (which cannot carry LISTEN); defaults to DATABASE_URL.
   */
  DATABASE_LISTEN_URL: Type.Optional(Type.String({ minLength: 1 })),
  /** Seconds between heartbeat comments on open streams; proxies drop silent connections. */
  STREAM_HEARTBEAT_SECONDS: Type.Integer({ minimum: 1, maximum: 300, default: 15 }),
};
