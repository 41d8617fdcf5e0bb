import { ResultReader, registerBallotRoutes, registerResultRoutes } from '@voting/api';
import { castBallots, type Pool, RoundCatalog, schemaReadiness } from '@voting/db';
import { createHttpApp, createRegistry, type HttpApp, type Logger } from '@voting/runtime';
import { registerWebPages } from '@voting/web';
import type { Static, TObject } from 'typebox';
import { BallotBatcher } from './ballot-batcher.ts';
import type { voteConfig } from './config.ts';
import { VoteMetrics } from './metrics.ts';
import { registerRoundRoutes } from './routes/rounds.ts';
import { registerVoteRoute } from './routes/vote.ts';

export type VoteConfig = Static<TObject<typeof voteConfig>>;

export interface VoteAppOptions {
  config: VoteConfig;
  pool: Pool;
  logger: Logger;
}

/** Builds the vote service: rounds, ballots, and the same result reads as the result service. */
export async function buildVoteApp({ config, pool, logger }: VoteAppOptions): Promise<HttpApp> {
  const registry = createRegistry('vote');
  const app = await createHttpApp({
    service: 'vote',
    logger,
    registry,
    readiness: schemaReadiness(pool),
  });
  await registerWebPages(app, {
    voteUrl: config.PUBLIC_VOTE_URL,
    resultUrl: config.PUBLIC_RESULT_URL,
  });
  const catalog = new RoundCatalog(pool);
  const reader = new ResultReader({ db: pool, catalog, adminApiKey: config.ADMIN_API_KEY });
  const metrics = new VoteMetrics(registry, {
    maxRounds: config.METRICS_MAX_ROUNDS,
    closedTtlSeconds: config.METRICS_CLOSED_ROUND_TTL_SECONDS,
  });

  registerRoundRoutes(app, { pool, catalog, reader, metrics, adminApiKey: config.ADMIN_API_KEY });
  const batcher = new BallotBatcher({
    castBatch: (ballots) => castBallots(pool, ballots),
    maxBatchSize: config.VOTE_BATCH_MAX_SIZE,
    maxInFlight: config.VOTE_BATCH_MAX_IN_FLIGHT,
  });
  registerVoteRoute(app, {
    pool,
    catalog,
    metrics,
    batcher,
    voterKeySecret: config.VOTER_KEY_SECRET,
  });
  registerResultRoutes(app, reader);
  registerBallotRoutes(app, { reader, pool, adminApiKey: config.ADMIN_API_KEY });
  return app;
}
