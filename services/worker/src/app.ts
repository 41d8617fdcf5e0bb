import { BALLOTS_PENDING_CHANNEL, ChannelListener, RoundCatalog } from '@voting/db';
import { type BuildService, createServiceApp, runInBackground } from '@voting/service';
import type { Static, TObject } from 'typebox';
import type { workerConfig } from './config.ts';
import { createWorkerMetrics } from './metrics.ts';
import { WorkerLoop } from './worker-loop.ts';

export type WorkerConfig = Static<TObject<typeof workerConfig>>;

/**
 * Builds the worker: its loop, run while the server listens, and a small HTTP server for probes
 * and metrics. The loop is returned too, for tests that step it by hand.
 */
export const buildWorkerApp: BuildService<WorkerConfig, { loop: WorkerLoop }> = async (context) => {
  const { config, pool, logger } = context;
  const { app, registry } = await createServiceApp('worker', context);
  const loop = new WorkerLoop({
    pool,
    catalog: new RoundCatalog(pool),
    logger,
    metrics: createWorkerMetrics(registry),
    pollIntervalMs: config.WORKER_POLL_INTERVAL_MS,
    batchSize: config.WORKER_BATCH_SIZE,
    tabulationIntervalMs: config.WORKER_TABULATION_INTERVAL_MS,
    tracer: context.telemetry?.tracer,
  });
  runInBackground(app, loop);
  // Woken by the vote replicas' notifications; after a reconnect (notifications lost meanwhile)
  // it looks at once. Without the connection the worker still polls: it is not a readiness
  // condition.
  runInBackground(
    app,
    new ChannelListener(
      config.DATABASE_LISTEN_URL ?? config.DATABASE_URL,
      BALLOTS_PENDING_CHANNEL,
      logger,
      () => loop.wake(),
      () => loop.wake(),
    ),
  );
  return { app, loop };
};

export type WorkerApp = Awaited<ReturnType<typeof buildWorkerApp>>;
