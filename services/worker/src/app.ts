import { type Pool, RoundCatalog } from '@voting/db';
import { createHttpApp, createRegistry, type HttpApp, type Logger } from '@voting/runtime';
import type { Static, TObject } from 'typebox';
import type { workerConfig } from './config.ts';
import { createWorkerMetrics } from './metrics.ts';
import { WorkerLoop } from './worker-loop.ts';

export type WorkerConfig = Static<TObject<typeof workerConfig>>;

export interface WorkerApp {
  app: HttpApp;
  loop: WorkerLoop;
}

/**
 * Builds the worker: its loop and a small HTTP server for probes and metrics. Ready means the
 * database answers (the worker's whole job is in it).
 */
export async function buildWorkerApp(
  config: WorkerConfig,
  pool: Pool,
  logger: Logger,
): Promise<WorkerApp> {
  const registry = createRegistry('worker');
  const metrics = createWorkerMetrics(registry);
  const readiness = async () => {
    await pool.query('SELECT 1');
    return null;
  };
  const app = await createHttpApp({ service: 'worker', logger, registry, readiness });
  const loop = new WorkerLoop({
    pool,
    catalog: new RoundCatalog(pool),
    logger,
    metrics,
    pollIntervalMs: config.WORKER_POLL_INTERVAL_MS,
    batchSize: config.WORKER_BATCH_SIZE,
    tabulationIntervalMs: config.WORKER_TABULATION_INTERVAL_MS,
  });
  return { app, loop };
}
