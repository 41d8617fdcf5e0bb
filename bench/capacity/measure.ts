import { randomBytes, randomUUID } from 'node:crypto';
import { createClient, insertRound, type Queryable } from '@voting/db';
import type { DriverReport } from './driver.ts';
import { runDrivers, sampleLockWaits } from './driver-processes.ts';

/**
 * The database path's capacity, without HTTP: several processes run the project's own statements
 * (group-commit cast, revote, the worker's drain, the live results read) against one database,
 * for many rounds and for one hot round (a televised vote: every ballot in one round). Each row
 * says how many statements and ballots per second the database took and what each cost
 * PostgreSQL in CPU, when the benchmark can see PostgreSQL's processes (the embedded one).
 */

export interface CapacityRow {
  scenario: string;
  processes: number;
  /** Ballots (cast, revote, drain) or reads per second, all processes together. */
  perSecond: number;
  perProcess: number;
  /** PostgreSQL CPU µs per ballot or read; NaN when its processes are not visible. */
  postgresMicroseconds: number;
  errors: number;
  note?: string;
}

export interface CapacityOptions {
  databaseUrl: string;
  /** PostgreSQL's processes (the embedded server's tree); empty when it runs elsewhere. */
  postgresPids: () => Promise<number[]>;
  seconds: number;
  /** Rounds of the "many rounds" case. */
  manyRounds: number;
  /** Change rows each drain run starts with. */
  drainRows: number;
  log: (line: string) => void;
}

const OPTIONS = 4;
// A vote replica's group-commit batch under load: ~25 ballots with one batch in flight
// (docs/performance.md), so a writer here sends 25 at a time, one batch at a time.
const CAST_BATCH = 25;
// The worker's default WORKER_BATCH_SIZE.
const DRAIN_BATCH = 2000;
// A drain run ends when the queue is empty; this only bounds a run that never gets there.
const DRAIN_LIMIT_SECONDS = 120;

async function createRounds(db: Queryable, count: number, allowRevote: boolean) {
  const roundIds: string[] = [];
  for (let index = 0; index < count; index++) {
    const roundId = randomUUID();
    await insertRound(db, {
      roundId,
      name: `capacity ${index}`,
      method: 'plurality',
      minChoices: null,
      maxChoices: null,
      allowRevote,
      resultsVisibility: 'live',
      publicBallots: false,
      voters: 'anyone',
      listed: false,
      adminTokenHash: randomBytes(32),
      closesAt: null,
      labels: Array.from({ length: OPTIONS }, (_, option) => `option ${option + 1}`),
    });
    roundIds.push(roundId);
  }
  return roundIds;
}

const sum = (reports: DriverReport[], pick: (report: DriverReport) => number) =>
  reports.reduce((total, report) => total + pick(report), 0);

const percent = (share: number) => `${Math.round(share * 100)}%`;

function row(
  scenario: string,
  reports: DriverReport[],
  items: number,
  seconds: number,
  postgresSeconds: number,
  visible: boolean,
  note?: string,
): CapacityRow {
  const perSecond = items / seconds;
  const firstError = reports.find((report) => report.firstError)?.firstError;
  return {
    scenario,
    processes: reports.length,
    perSecond,
    perProcess: perSecond / reports.length,
    postgresMicroseconds: visible && items > 0 ? (postgresSeconds * 1e6) / items : Number.NaN,
    errors: sum(reports, (report) => report.errors),
    note: [note, firstError && `first error: ${firstError}`].filter(Boolean).join('; '),
  };
}

/**
 * A worker's backlog as group commit leaves it: per batch of 25 ballots, one change row per
 * distinct (round, choices). Spread over many rounds nearly every row carries one ballot; in one
 * hot round the 25 fall on the 4 options, ~6 ballots a row. Written in bulk, not cast: the drain
 * reads only this queue.
 */
async function fillBacklog(db: Queryable, roundIds: string[], rows: number): Promise<void> {
  await db.query('TRUNCATE ballot_changes');
  await db.query(
    `INSERT INTO ballot_changes (round_id, choices, delta)
     SELECT ($1::uuid[])[1 + g % cardinality($1::uuid[])], ARRAY[1 + (g / 7) % $3]::smallint[],
            CASE WHEN cardinality($1::uuid[]) = 1 THEN $4 ELSE 1 END
     FROM generate_series(0, $2 - 1) AS g`,
    [roundIds, rows, OPTIONS, Math.round(CAST_BATCH / OPTIONS)],
  );
}

/**
 * Pays the vacuum, statistics and checkpoint debt of the runs before, so that autovacuum and the
 * checkpointer do not run inside the next run and bill their CPU to its ballots or reads (they
 * did: revotes and reads after the drain runs cost PostgreSQL several times what they cost on a
 * settled database). CHECKPOINT needs a superuser or pg_checkpoint: without, the runs say so.
 */
async function settle(db: Queryable): Promise<void> {
  await db.query('VACUUM (ANALYZE)');
  await db.query('CHECKPOINT').catch((error: Error) => {
    process.stderr.write(`capacity: no CHECKPOINT before the run (${error.message})\n`);
  });
}

/** Ballots waiting for the worker: change rows and the ballots they carry. */
async function backlog(db: Queryable): Promise<{ rows: number; ballots: number }> {
  const result = await db.query<{ rows: number; ballots: number }>(
    'SELECT count(*)::int AS rows, COALESCE(sum(delta), 0)::int AS ballots FROM ballot_changes',
  );
  return result.rows[0] ?? { rows: 0, ballots: 0 };
}

export async function measureCapacity(options: CapacityOptions): Promise<CapacityRow[]> {
  const db = createClient(options.databaseUrl);
  await db.connect();
  const rows: CapacityRow[] = [];
  const visible = (await options.postgresPids()).length > 0;
  const { seconds, log } = options;
  try {
    const cases = [
      {
        label: `${options.manyRounds} rounds`,
        roundIds: await createRounds(db, options.manyRounds, false),
      },
      { label: 'one hot round', roundIds: await createRounds(db, 1, false) },
    ];
    for (const { label, roundIds } of cases) {
      await db.query('TRUNCATE ballot_changes');
      for (const writers of [1, 2, 4, 8]) {
        await settle(db);
        log(`capacity: cast, ${label}, ${writers} writer(s)`);
        const task = {
          role: 'cast',
          roundIds,
          optionCount: OPTIONS,
          batchSize: CAST_BATCH,
        } as const;
        const { result: run, lockWaitShare } = await sampleLockWaits(
          db,
          'cast',
          runDrivers(options, task, writers, seconds),
        );
        const ballots = sum(run.reports, (report) => report.items);
        rows.push(
          row(
            `cast (batches of ${CAST_BATCH}), ${label}`,
            run.reports,
            ballots,
            run.elapsedMs / 1000,
            run.postgresSeconds,
            visible,
            `waiting on locks ${percent(lockWaitShare)} of the time`,
          ),
        );
      }
      for (const workers of [1, 2, 3, 4]) {
        await fillBacklog(db, roundIds, options.drainRows);
        await settle(db);
        const before = await backlog(db);
        log(`capacity: drain, ${label}, ${workers} worker(s), ${before.rows} change rows`);
        const task = {
          role: 'drain',
          roundIds,
          optionCount: OPTIONS,
          batchSize: DRAIN_BATCH,
        } as const;
        const { result: run, lockWaitShare } = await sampleLockWaits(
          db,
          'drain',
          runDrivers(options, task, workers, DRAIN_LIMIT_SECONDS),
        );
        const after = await backlog(db);
        const drainedMs = Math.max(
          ...run.reports.map((report) => report.drainedAfterMs ?? run.elapsedMs),
        );
        const ballots = before.ballots - after.ballots;
        const perRow = (before.ballots / Math.max(1, before.rows)).toFixed(1);
        rows.push(
          row(
            `drain (${DRAIN_BATCH} rows a statement), ${label}`,
            run.reports,
            ballots,
            drainedMs / 1000,
            run.postgresSeconds,
            visible,
            `${before.rows - after.rows} rows of ${perRow} ballots in ${drainedMs} ms, ` +
              `${after.rows} left; waiting on locks ${percent(lockWaitShare)} of the time`,
          ),
        );
      }
      await db.query('TRUNCATE ballot_changes');
    }
    const revoteRounds = await createRounds(db, options.manyRounds, true);
    await settle(db);
    log('capacity: revotes, 4 writers');
    const revotes = await runDrivers(
      options,
      { role: 'revote', roundIds: revoteRounds, optionCount: OPTIONS, batchSize: 1 },
      4,
      seconds,
    );
    rows.push(
      row(
        `revote (one ballot a transaction), ${options.manyRounds} rounds`,
        revotes.reports,
        sum(revotes.reports, (r) => r.items),
        revotes.elapsedMs / 1000,
        revotes.postgresSeconds,
        visible,
      ),
    );
    await settle(db);
    log('capacity: live results reads, 4 readers');
    const readRounds = cases[0]?.roundIds ?? [];
    const reads = await runDrivers(
      options,
      { role: 'read', roundIds: readRounds, optionCount: OPTIONS, batchSize: 1 },
      4,
      seconds,
    );
    rows.push(
      row(
        `results read (live tallies), ${options.manyRounds} rounds`,
        reads.reports,
        sum(reads.reports, (r) => r.operations),
        reads.elapsedMs / 1000,
        reads.postgresSeconds,
        visible,
      ),
    );
    await db.query('TRUNCATE ballot_changes');
  } finally {
    await db.end();
  }
  return rows;
}
