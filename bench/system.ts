import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  createClient,
  createDatabaseIfMissing,
  databaseUrl,
  dropDatabaseIfExists,
  type EmbeddedDatabase,
  loadMigrations,
  migrate,
  startEmbeddedDatabase,
} from '@voting/db';
import {
  repositoryRoot,
  type ServiceName,
  spawnService,
  stopProcesses,
  waitUntilReady,
} from '../scripts/service-processes.ts';

export const ports = { vote: 18480, result: 18481, worker: 18482, baseline: 18490 } as const;
// Not the ports of `npm start` (15432) or the tests (15433).
const BENCH_EMBEDDED_PORT = 15434;

export interface BenchSystem {
  databaseUrl: string;
  processes: Record<ServiceName | 'baseline', ChildProcess>;
  /** Peak resident memory (VmHWM) of each process so far, in MB. */
  peakRssMb: () => Promise<Record<string, number>>;
  stop: () => Promise<void>;
}

/** A fresh database, the three services and the baseline server, each its own process. */
export async function startBenchSystem(log: (line: string) => void): Promise<BenchSystem> {
  let embedded: EmbeddedDatabase | null = null;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    embedded = await startEmbeddedDatabase({
      dataDirectory: path.join(repositoryRoot, '.data/bench-postgres'),
      port: BENCH_EMBEDDED_PORT,
    });
    serverUrl = embedded.url;
  }
  await dropDatabaseIfExists(serverUrl, 'voting_bench');
  await createDatabaseIfMissing(serverUrl, 'voting_bench');
  const url = databaseUrl(serverUrl, 'voting_bench');
  const client = createClient(url);
  await client.connect();
  await migrate(client, await loadMigrations()).finally(() => client.end());

  const env = {
    ...process.env,
    DATABASE_URL: url,
    VOTER_KEY_SECRET: 'bench-voter-key-secret-0123456789',
    LOG_LEVEL: 'warn',
  };
  const quietLog = (line: string) => log(line);
  const processes = {
    vote: spawnService('vote', { ...env, PORT: String(ports.vote) }, quietLog),
    result: spawnService('result', { ...env, PORT: String(ports.result) }, quietLog),
    worker: spawnService('worker', { ...env, PORT: String(ports.worker) }, quietLog),
    baseline: spawn(
      process.execPath,
      ['--import', 'tsx', path.join(import.meta.dirname, 'baseline-server.ts')],
      {
        env: { ...process.env, PORT: String(ports.baseline) },
        stdio: 'inherit',
      },
    ),
  };
  await Promise.all([
    waitUntilReady(ports.vote),
    waitUntilReady(ports.result),
    waitUntilReady(ports.worker),
  ]);
  await waitForBaseline();

  return {
    databaseUrl: url,
    processes,
    peakRssMb: async () => {
      const entries = await Promise.all(
        Object.entries(processes).map(
          async ([name, child]) => [name, await peakRss(child.pid)] as const,
        ),
      );
      return Object.fromEntries(entries);
    },
    stop: async () => {
      await stopProcesses(Object.values(processes));
      await embedded?.stop();
    },
  };
}

async function waitForBaseline(): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const up = await fetch(`http://127.0.0.1:${ports.baseline}/`, {
      method: 'POST',
      body: '{}',
    }).then(
      (response) => response.ok,
      () => false,
    );
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the baseline server did not start');
}

async function peakRss(pid: number | undefined): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return Math.round(kb / 1024);
}
