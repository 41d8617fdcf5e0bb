import { adminConfig } from '@voting/api';
import { databaseConfig, listenConfig } from '@voting/db';
import { portConfig, processConfig } from '@voting/runtime';
import { rateLimitConfig } from '@voting/service';
import { pagesConfig } from '@voting/web';
import { Type } from 'typebox';

export const resultConfig = {
  ...processConfig,
  ...portConfig(8081),
  ...databaseConfig,
  ...pagesConfig,
  ...adminConfig,
  ...rateLimitConfig,
  // The stream's LISTEN connection (round_changed).
  ...listenConfig,
  /** Seconds between heartbeat comments on open streams; proxies drop silent connections. */
  STREAM_HEARTBEAT_SECONDS: Type.Integer({ minimum: 1, maximum: 300, default: 15 }),
  /**
   * Most open streams on one replica; past it a new one answers 503 `too_many_streams`. A stream
   * costs ~8 KB of heap and ~16 KB of RSS, so 5,000 add ~40 MB of heap and ~80 MB of RSS: inside
   * the image's 96 MB heap cap and the pod's 256 MiB limit beside the ~120 MB a busy replica uses
   * anyway. More viewers take more replicas (docs/performance.md).
   */
  STREAM_MAX_CLIENTS: Type.Integer({ minimum: 1, maximum: 100_000, default: 5000 }),
  /**
   * Most open streams from one client address on one replica; past it 429 `too_many_streams`.
   * A browser opens one per results page (six at most per host over HTTP/1.1), so 50 leaves room
   * for a shared address (an office behind NAT) and stops one client from taking the replica.
   * The address is the socket's: behind a proxy every stream shares the proxy's, so raise it
   * there (deploy/k8s does) and cap clients at the edge.
   */
  STREAM_MAX_CLIENTS_PER_ADDRESS: Type.Integer({ minimum: 1, maximum: 100_000, default: 50 }),
};
