import { fork } from 'node:child_process';
import path from 'node:path';
import type { Queryable } from '@voting/db';
import { measureCpu } from '../cpu.ts';
import type { DriverReport, DriverTask } from './driver.ts';

/** Forks the capacity benchmark's processes (driver.ts) and watches them work. */

const driverPath = path.join(import.meta.dirname, 'driver.ts');

/** Where the drivers connect, and PostgreSQL's processes, whose CPU each run reports. */
export interface DriverTarget {
  databaseUrl: string;
  postgresPids: () => Promise<number[]>;
}

export interface DriverRun {
  reports: DriverReport[];
  postgresSeconds: number;
  elapsedMs: number;
}

/**
 * While `work` runs, how often the drivers' connections were waiting on a lock (a row or
 * transaction lock: the sign of work serializing on hot rows), as a share of their samples.
 */
export async function sampleLockWaits<T>(
  db: Queryable,
  role: string,
  work: Promise<T>,
): Promise<{ result: T; lockWaitShare: number }> {
  let done = false;
  let samples = 0;
  let waiting = 0;
  const sampling = (async () => {
    while (!done) {
      const result = await db.query<{ state: string | null; wait: string | null }>(
        `SELECT state, wait_event_type AS wait FROM pg_stat_activity WHERE application_name = $1`,
        [`capacity-${role}`],
      );
      for (const { state, wait } of result.rows) {
        if (state !== 'active') continue;
        samples++;
        if (wait === 'Lock') waiting++;
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  })();
  try {
    return { result: await work, lockWaitShare: samples ? waiting / samples : 0 };
  } finally {
    done = true;
    await sampling;
  }
}

/** Runs `count` drivers of one role together for `seconds`; their reports and PostgreSQL's CPU. */
export async function runDrivers(
  options: DriverTarget,
  task: Omit<DriverTask, 'index' | 'databaseUrl'>,
  count: number,
  seconds: number,
): Promise<DriverRun> {
  const children = Array.from({ length: count }, () =>
    fork(driverPath, {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
  const exited = children.map(
    (child) =>
      new Promise<void>((resolve, reject) => {
        child.once('exit', (code) =>
          code === 0 ? resolve() : reject(new Error(`a ${task.role} driver exited with ${code}`)),
        );
      }),
  );
  const message = <T>(child: (typeof children)[number]) =>
    new Promise<T>((resolve) => child.once('message', (value) => resolve(value as T)));
  try {
    const ready = children.map((child) => message<'ready'>(child));
    children.forEach((child, index) => {
      child.send({ ...task, index, databaseUrl: options.databaseUrl } satisfies DriverTask);
    });
    await Promise.race([Promise.all(ready), Promise.all(exited)]);
    const started = Date.now();
    const { result: reports, cpuSeconds } = await measureCpu(
      { postgres: options.postgresPids },
      async () => {
        const reported = children.map((child) => message<DriverReport>(child));
        for (const child of children) child.send({ go: { stopAt: Date.now() + seconds * 1000 } });
        return Promise.all(reported);
      },
    );
    const elapsedMs = Date.now() - started;
    await Promise.all(exited);
    return { reports, postgresSeconds: cpuSeconds.postgres ?? 0, elapsedMs };
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill();
  }
}
