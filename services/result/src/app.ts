import {
  ResultReader,
  registerBallotRoutes,
  registerReceiptRoute,
  registerResultRoutes,
} from '@voting/api';
import { ChannelListener, ROUND_CHANGED_CHANNEL, RoundCatalog } from '@voting/db';
import { type BuildService, createServiceApp, runInBackground } from '@voting/service';
import { registerWebPages } from '@voting/web';
import type { Static, TObject } from 'typebox';
import type { resultConfig } from './config.ts';
import { createStreamMetrics } from './metrics.ts';
import { registerStreamRoute } from './routes/stream.ts';
import { StreamHub } from './stream/stream-hub.ts';

export type ResultConfig = Static<TObject<typeof resultConfig>>;

/** Builds the result service: result reads and the live stream fed by one LISTEN connection. */
export const buildResultApp: BuildService<ResultConfig> = async (context) => {
  const { config, pool, logger } = context;
  const reader = new ResultReader({
    db: pool,
    catalog: new RoundCatalog(pool),
    adminApiKey: config.ADMIN_API_KEY,
  });
  let listener: ChannelListener | undefined;
  const { app, registry } = await createServiceApp('result', context, {
    // Without its LISTEN connection a replica's streams stand still, so it takes no new clients
    // until the listener has reconnected (within 5 s of the database answering again).
    alsoReady: () =>
      listener?.connected ? null : 'the change listener (LISTEN round_changed) is not connected',
    rateLimits: config,
  });
  const hub = new StreamHub(
    reader,
    createStreamMetrics(registry),
    logger,
    context.telemetry?.tracer,
  );
  listener = new ChannelListener(
    config.DATABASE_LISTEN_URL ?? config.DATABASE_URL,
    ROUND_CHANGED_CHANNEL,
    logger,
    (payload) => hub.notified(payload),
    () => hub.refreshAll(),
  );
  runInBackground(app, listener);
  await registerWebPages(app, {
    voteUrl: config.PUBLIC_VOTE_URL,
    resultUrl: config.PUBLIC_RESULT_URL,
    extraOrigins: config.PUBLIC_EXTRA_ORIGINS,
  });

  registerResultRoutes(app, reader);
  registerBallotRoutes(app, { reader, pool, adminApiKey: config.ADMIN_API_KEY });
  registerReceiptRoute(app, { reader, db: pool });
  registerStreamRoute(app, {
    hub,
    reader,
    limits: {
      maxClients: config.STREAM_MAX_CLIENTS,
      maxClientsPerAddress: config.STREAM_MAX_CLIENTS_PER_ADDRESS,
    },
    heartbeatSeconds: config.STREAM_HEARTBEAT_SECONDS,
    adminApiKey: config.ADMIN_API_KEY,
  });
  return { app };
};
