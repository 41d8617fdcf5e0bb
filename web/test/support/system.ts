import type { HttpApp } from '@voting/runtime';
import type { WorkerApp } from '../../../services/worker/src/app.ts';
import { testResultApp, testVoteApp, testWorkerApp } from '../../../test/support/apps.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { freePort } from '../../../test/support/processes.ts';
import { buildWeb } from '../../build.ts';
import { LAN_HOST } from './browser.ts';

export interface RunningSystem {
  db: TestDatabase;
  vote: HttpApp;
  result: HttpApp;
  worker: WorkerApp;
  voteUrl: string;
  resultUrl: string;
  stop(): Promise<void>;
}

/**
 * Vote, result and the worker loop in this process, on 127.0.0.1 ports of their own, against
 * this test file's database, configured as `npm start` configures them: the pages call each
 * service at its real address (PUBLIC_VOTE_URL, PUBLIC_RESULT_URL), cross-origin.
 */
export async function startSystem(): Promise<RunningSystem> {
  await buildWeb();
  const db = await createTestDatabase();
  const [votePort, resultPort] = [await freePort(), await freePort()];
  const voteUrl = `http://127.0.0.1:${votePort}`;
  const resultUrl = `http://127.0.0.1:${resultPort}`;
  // As `npm start` allows its LAN addresses: the same services by another name (LAN_HOST, which
  // the test browser resolves to 127.0.0.1).
  const extraOrigins = [votePort, resultPort].map((port) => `http://${LAN_HOST}:${port}`);
  const env = {
    PUBLIC_VOTE_URL: voteUrl,
    PUBLIC_RESULT_URL: resultUrl,
    PUBLIC_EXTRA_ORIGINS: extraOrigins.join(','),
  };
  const vote = await testVoteApp(db.url, db.pool, env);
  const result = await testResultApp(db.url, db.pool, env);
  const worker = await testWorkerApp(db.url, db.pool, {
    ...env,
    WORKER_POLL_INTERVAL_MS: '20',
    WORKER_TABULATION_INTERVAL_MS: '0',
  });
  await vote.listen({ host: '127.0.0.1', port: votePort });
  await result.listen({ host: '127.0.0.1', port: resultPort });
  worker.loop.start();
  return {
    db,
    vote,
    result,
    worker,
    voteUrl,
    resultUrl,
    stop: async () => {
      await worker.loop.stop();
      await Promise.all([vote.close(), result.close(), worker.app.close()]);
      await db.drop();
    },
  };
}
