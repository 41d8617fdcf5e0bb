/**
 * One process of the capacity benchmark (bench/capacity/measure.ts forks several): it plays a
 * vote replica, a worker or a reader straight against the database, through the project's own
 * statements and no HTTP, so what it measures is the database path alone. The parent sends the
 * task; the process connects, prepares its statement, says `ready`, waits for `go` (all processes
 * start together), works until the stop time and reports what it did.
 */
import { randomBytes, randomInt } from 'node:crypto';
import {
  type BallotToCast,
  castBallots,
  castOrReplaceBallot,
  createPool,
  drainBallotChanges,
  type Pool,
  readLiveTallies,
} from '@voting/db';

export type DriverRole = 'cast' | 'revote' | 'drain' | 'read';

export interface DriverTask {
  role: DriverRole;
  databaseUrl: string;
  roundIds: string[];
  optionCount: number;
  /** Ballots per group-commit batch (cast), changes per drain (drain). */
  batchSize: number;
  /** This process's index among its siblings: revoters keep disjoint voter keys. */
  index: number;
}

export interface DriverReport {
  /** Statements that succeeded: batches, revotes, drains or reads. */
  operations: number;
  /** Ballots accepted (cast, revote) or change rows applied (drain). */
  items: number;
  errors: number;
  firstError?: string;
  /** Drain: ms from `go` until the queue was found empty (the whole backlog is applied). */
  drainedAfterMs?: number;
}

type Message = { go: { stopAt: number } };

const IDLE_WORKER_PAUSE_MS = 20;
// Revoters cycle through this many voters each, so most of their ballots replace an earlier one.
const VOTERS_PER_REVOTER = 5000;

const pickRound = (task: DriverTask) => task.roundIds[randomInt(task.roundIds.length)] as string;
const pickChoice = (task: DriverTask) => [1 + randomInt(task.optionCount)];

async function queueIsEmpty(pool: Pool): Promise<boolean> {
  const result = await pool.query('SELECT NOT EXISTS (SELECT 1 FROM ballot_changes) AS empty');
  return result.rows[0]?.empty === true;
}

async function main(task: DriverTask): Promise<void> {
  const pool = createPool({
    connectionString: task.databaseUrl,
    max: 1,
    applicationName: `capacity-${task.role}`,
  });
  const report: DriverReport = { operations: 0, items: 0, errors: 0 };
  let revoter = 0;
  const step: Record<DriverRole, () => Promise<number>> = {
    cast: async () => {
      const batch: BallotToCast[] = Array.from({ length: task.batchSize }, () => ({
        roundId: pickRound(task),
        voterKey: randomBytes(32),
        choices: pickChoice(task),
      }));
      const outcomes = await castBallots(pool, batch);
      return outcomes.filter((outcome) => outcome.outcome === 'accepted').length;
    },
    revote: async () => {
      revoter = (revoter + 1) % VOTERS_PER_REVOTER;
      const voterKey = Buffer.from(`revoter-${task.index}-${revoter}`.padEnd(32, '.'));
      const ballot = { roundId: pickRound(task), voterKey, choices: pickChoice(task) };
      const outcome = await castOrReplaceBallot(pool, ballot);
      return outcome.outcome === 'accepted' ? 1 : 0;
    },
    drain: async () => (await drainBallotChanges(pool, task.batchSize)).changes,
    read: async () => ((await readLiveTallies(pool, pickRound(task))) ? 1 : 0),
  };
  // One untimed call first: the connection opens and the statement is prepared.
  if (task.role !== 'drain') await step[task.role]();
  else await pool.query('SELECT 1');
  process.send?.('ready');
  const { stopAt } = await new Promise<Message['go']>((resolve) =>
    process.once('message', (message: Message) => resolve(message.go)),
  );
  const started = Date.now();
  while (Date.now() < stopAt) {
    try {
      const items = await step[task.role]();
      report.operations++;
      report.items += items;
      // A drain that finds nothing it may take is done once the queue is really empty; until
      // then other workers hold what is left, and this one pauses as an idle worker does
      // (services/worker: MIN_PAUSE_MS) instead of asking again at once.
      if (task.role === 'drain' && items === 0) {
        if (await queueIsEmpty(pool)) {
          report.drainedAfterMs = Date.now() - started;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, IDLE_WORKER_PAUSE_MS));
      }
    } catch (error) {
      report.errors++;
      report.firstError ??= error instanceof Error ? error.message : String(error);
    }
  }
  await pool.end();
  process.send?.(report, () => process.exit(0));
}

process.once('message', (task: DriverTask) => {
  main(task).catch((error: unknown) => {
    process.stderr.write(`capacity driver: ${error instanceof Error ? error.stack : error}\n`);
    process.exit(1);
  });
});
