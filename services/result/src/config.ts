import { baseConfig } from '@voting/runtime';
import { Type } from 'typebox';

export const resultConfig = {
  ...baseConfig,
  PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 8081 }),
  /** Lets the operator see results hidden until close (as on the vote service). */
  ADMIN_API_KEY: Type.Optional(Type.String({ minLength: 16 })),
  /**
   * Where the stream's LISTEN connection goes, when it must bypass a transaction-pooling
   * PgBouncer (which cannot carry LISTEN); defaults to DATABASE_URL.
   */
  DATABASE_LISTEN_URL: Type.Optional(Type.String({ minLength: 1 })),
  /** Seconds between heartbeat comments on open streams; proxies drop silent connections. */
  STREAM_HEARTBEAT_SECONDS: Type.Integer({ minimum: 1, maximum: 300, default: 15 }),
};
