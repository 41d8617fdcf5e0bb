import { ResultReader, registerBallotRoutes, registerResultRoutes } from '@voting/api';
import { type Pool, RoundCatalog, schemaReadiness } from '@voting/db';
import { createHttpApp, createRegistry, type HttpApp, type Logger } from '@voting/runtime';
import { registerWebPages } from '@voting/web';
import type { Static, TObject } from 'typebox';
import type { resultConfig } from './config.ts';
import { createStreamMetrics } from './metrics.ts';
import { RoundChangeListener } from './stream/change-listener.ts';
import { StreamHub } from './stream/stream-hub.ts';
import { registerStreamRoute } from './stream/stream-route.ts';

export type ResultConfig = Static<TObject<typeof resultConfig>>;

/** Builds the result service: result reads and the live stream fed by one LISTEN connection. */
export async function buildResultApp(
  config: ResultConfig,
  pool: Pool,
  logger: Logger,
): Promise<HttpApp> {
  const registry = createRegistry('result');
  const reader = new ResultReader({
    db: pool,
    catalog: new RoundCatalog(pool),
    adminApiKey: config.ADMIN_API_KEY,
  });
  const hub = new StreamHub(reader, createStreamMetrics(registry), logger);
  const listener = new RoundChangeListener(
    config.DATABASE_LISTEN_URL ?? config.DATABASE_URL,
    logger,
    (roundId) => hub.changed(roundId),
    () => hub.refreshAll(),
  );
  const schemaReady = schemaReadiness(pool);
  const app = await createHttpApp({
    service: 'result',
    logger,
    registry,
    // Without its LISTEN connection a replica's streams stand still, so it takes no new clients
    // until the listener has reconnected (within 5 s of the database answering again).
    readiness: async () =>
      (await schemaReady()) ??
      (listener.connected ? null : 'the change listener (LISTEN round_changed) is not connected'),
  });
  await registerWebPages(app, {
    voteUrl: config.PUBLIC_VOTE_URL,
    resultUrl: config.PUBLIC_RESULT_URL,
  });
  app.addHook('onReady', () => listener.start());
  app.addHook('onClose', () => listener.close());

  registerResultRoutes(app, reader);
  registerBallotRoutes(app, { reader, pool, adminApiKey: config.ADMIN_API_KEY });
  registerStreamRoute(app, {
    hub,
    reader,
    heartbeatSeconds: config.STREAM_HEARTBEAT_SECONDS,
    adminApiKey: config.ADMIN_API_KEY,
  });
  return app;
}
