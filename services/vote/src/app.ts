import {
  ResultReader,
  registerBallotRoutes,
  registerReceiptRoute,
  registerResultRoutes,
} from '@voting/api';
import { announceBallotsPending, castBallots, RoundCatalog } from '@voting/db';
import { type BuildService, createServiceApp } from '@voting/service';
import { registerWebPages } from '@voting/web';
import type { Static, TObject } from 'typebox';
import { BallotBatcher } from './ballot-batcher.ts';
import type { voteConfig } from './config.ts';
import { createVoteMetrics } from './metrics.ts';
import { PendingAnnouncer } from './pending-announcer.ts';
import { registerInvitationRoutes } from './routes/invitations.ts';
import { registerJoinRoutes } from './routes/join.ts';
import { registerRoundLifecycleRoutes } from './routes/round-lifecycle.ts';
import { registerRoundRoutes } from './routes/rounds.ts';
import { registerVoteRoute } from './routes/vote.ts';

export type VoteConfig = Static<TObject<typeof voteConfig>>;

/** Builds the vote service: rounds, ballots, and the same result reads as the result service. */
export const buildVoteApp: BuildService<VoteConfig> = async (context) => {
  const { config, pool } = context;
  const { app, registry } = await createServiceApp('vote', context, { rateLimits: config });
  await registerWebPages(app, {
    voteUrl: config.PUBLIC_VOTE_URL,
    resultUrl: config.PUBLIC_RESULT_URL,
    extraOrigins: config.PUBLIC_EXTRA_ORIGINS,
  });
  const catalog = new RoundCatalog(pool);
  const reader = new ResultReader({ db: pool, catalog, adminApiKey: config.ADMIN_API_KEY });
  const metrics = createVoteMetrics(registry, {
    db: pool,
    maxRounds: config.METRICS_MAX_ROUNDS,
    closedTtlSeconds: config.METRICS_CLOSED_ROUND_TTL_SECONDS,
  });

  const roundDeps = { pool, catalog, reader, metrics, adminApiKey: config.ADMIN_API_KEY };
  registerRoundRoutes(app, roundDeps);
  registerRoundLifecycleRoutes(app, roundDeps);
  await registerJoinRoutes(app, { pool, config });
  const batcher = new BallotBatcher({
    castBatch: (ballots) => castBallots(pool, ballots),
    maxBatchSize: config.VOTE_BATCH_MAX_SIZE,
    maxInFlight: config.VOTE_BATCH_MAX_IN_FLIGHT,
    timeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
  });
  registerVoteRoute(app, {
    pool,
    catalog,
    metrics,
    batcher,
    announcer: new PendingAnnouncer(() => announceBallotsPending(pool), context.logger),
    voterKeySecret: config.VOTER_KEY_SECRET,
  });
  registerInvitationRoutes(app, {
    pool,
    reader,
    adminApiKey: config.ADMIN_API_KEY,
    voterKeySecret: config.VOTER_KEY_SECRET,
  });
  registerResultRoutes(app, reader);
  registerBallotRoutes(app, { reader, pool, adminApiKey: config.ADMIN_API_KEY });
  registerReceiptRoute(app, { reader, db: pool });
  return { app };
};
