import { randomBytes, randomUUID } from 'node:crypto';
import { createClient, insertRound, type Queryable } from '@voting/db';
import type { DriverReport } from './driver.ts';
import { type DriverRun, runDrivers, sampleLockWaits } from './driver-processes.ts';

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

export interface CapacitySettings {
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

/** The settings, and whether PostgreSQL's processes are visible (their CPU is measured). */
type CapacityOptions = CapacitySettings & { visible: boolean };

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

/**
 * A table row from a run: `items` (ballots or reads) over `seconds`, and PostgreSQL's CPU per
 * item when its processes are visible (`visible`).
 */
function row(
  scenario: string,
  run: DriverRun,
  {
    items,
    seconds,
    visible,
    note,
  }: { items: number; seconds: number; visible: boolean; note?: string },
): CapacityRow {
  const { reports, postgresSeconds } = run;
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

interface Case {
  label: string;
  roundIds: string[];
}

/** Group-commit casts from 1, 2, 4 and 8 writers, as that many vote replicas under load send them. */
async function castRows(db: Queryable, options: CapacityOptions, { label, roundIds }: Case) {
  const rows: CapacityRow[] = [];
  await db.query('TRUNCATE ballot_changes');
  for (const writers of [1, 2, 4, 8]) {
    await settle(db);
    options.log(`capacity: cast, ${label}, ${writers} writer(s)`);
    const task = { role: 'cast', roundIds, optionCount: OPTIONS, batchSize: CAST_BATCH } as const;
    const { result: run, lockWaitShare } = await sampleLockWaits(
      db,
      'cast',
      runDrivers(options, task, writers, options.seconds),
    );
    rows.push(
      row(`cast (batches of ${CAST_BATCH}), ${label}`, run, {
        items: sum(run.reports, (report) => report.items),
        seconds: run.elapsedMs / 1000,
        visible: options.visible,
        note: `waiting on locks ${percent(lockWaitShare)} of the time`,
      }),
    );
  }
  return rows;
}

/** The same backlog drained by 1 to 4 workers, each run until the queue is empty. */
async function drainRows(db: Queryable, options: CapacityOptions, { label, roundIds }: Case) {
  const rows: CapacityRow[] = [];
  for (const workers of [1, 2, 3, 4]) {
    await fillBacklog(db, roundIds, options.drainRows);
    await settle(db);
    const before = await backlog(db);
    options.log(`capacity: drain, ${label}, ${workers} worker(s), ${before.rows} change rows`);
    const task = { role: 'drain', roundIds, optionCount: OPTIONS, batchSize: DRAIN_BATCH } as const;
    const { result: run, lockWaitShare } = await sampleLockWaits(
      db,
      'drain',
      runDrivers(options, task, workers, DRAIN_LIMIT_SECONDS),
    );
    const after = await backlog(db);
    const drainedMs = Math.max(
      ...run.reports.map((report) => report.drainedAfterMs ?? run.elapsedMs),
    );
    const perRow = (before.ballots / Math.max(1, before.rows)).toFixed(1);
    rows.push(
      row(`drain (${DRAIN_BATCH} rows a statement), ${label}`, run, {
        items: before.ballots - after.ballots,
        seconds: drainedMs / 1000,
        visible: options.visible,
        note:
          `${before.rows - after.rows} rows of ${perRow} ballots in ${drainedMs} ms, ` +
          `${after.rows} left; waiting on locks ${percent(lockWaitShare)} of the time`,
      }),
    );
  }
  await db.query('TRUNCATE ballot_changes');
  return rows;
}

/** Four processes of one role for `seconds`: revotes (ballots counted) or reads (reads counted). */
async function steadyRow(
  db: Queryable,
  options: CapacityOptions,
  role: 'revote' | 'read',
  scenario: string,
  roundIds: string[],
) {
  await settle(db);
  options.log(`capacity: ${scenario}, 4 processes`);
  const task = { role, roundIds, optionCount: OPTIONS, batchSize: 1 };
  const run = await runDrivers(options, task, 4, options.seconds);
  return row(`${scenario}, ${options.manyRounds} rounds`, run, {
    items: sum(run.reports, (report) => (role === 'read' ? report.operations : report.items)),
    seconds: run.elapsedMs / 1000,
    visible: options.visible,
  });
}

export async function measureCapacity(settings: CapacitySettings): Promise<CapacityRow[]> {
  const db = createClient(settings.databaseUrl);
  await db.connect();
  const options = { ...settings, visible: (await settings.postgresPids()).length > 0 };
  const rows: CapacityRow[] = [];
  try {
    const many = {
      label: `${options.manyRounds} rounds`,
      roundIds: await createRounds(db, options.manyRounds, false),
    };
    const hot = { label: 'one hot round', roundIds: await createRounds(db, 1, false) };
    for (const each of [many, hot]) {
      rows.push(...(await castRows(db, options, each)));
      rows.push(...(await drainRows(db, options, each)));
    }
    const revoteRounds = await createRounds(db, options.manyRounds, true);
    rows.push(
      await steadyRow(db, options, 'revote', 'revote (one ballot a transaction)', revoteRounds),
    );
    rows.push(await steadyRow(db, options, 'read', 'results read (live tallies)', many.roundIds));
    await db.query('TRUNCATE ballot_changes');
  } finally {
    await db.end();
  }
  return rows;
}
