import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import {
  createDatabaseIfMissing,
  databaseUrl,
  dropDatabaseIfExists,
  type EmbeddedDatabase,
  migrateDatabase,
  startEmbeddedDatabase,
} from '@voting/db';
import { build } from 'esbuild';
import {
  isRunning,
  repositoryRoot,
  type ServiceName,
  spawnNode,
  stopProcesses,
  waitUntilReady,
} from '../scripts/service-processes.ts';
import { type CpuGroups, processTree } from './cpu.ts';
import { type OtlpSink, startOtlpSink } from './otlp-sink.ts';

export const ports = { vote: 18480, result: 18481, worker: 18482, baseline: 18490 } as const;

/**
 * Vote replicas with tracing on, beside the untraced one (`vote`), on the same database, so that
 * one run measures the vote path with tracing off, on with nothing sampled (what having it on at
 * all costs), at the default sampling and at 100% (docs/performance.md, "Tracing"). Each exports
 * to the benchmark's OTLP sink, configured only by the standard variables: the ratio set to 0 or
 * 1, or nothing more for the default.
 */
export const TRACED_VOTES = {
  'vote-traced-0': { port: 18485, env: { OTEL_TRACES_SAMPLER_ARG: '0' } },
  'vote-traced-default': { port: 18484, env: {} },
  'vote-traced-100': { port: 18483, env: { OTEL_TRACES_SAMPLER_ARG: '1' } },
} as const;
export type TracedVote = keyof typeof TRACED_VOTES;
// Not the ports of `npm start` (15432) or the tests (15433).
const BENCH_EMBEDDED_PORT = 15434;
const appsDirectory = path.join(repositoryRoot, '.data/bench-apps');

export interface BenchSystem {
  databaseUrl: string;
  database: BenchDatabase & { urlOf: (name: string) => string };
  processes: Record<BenchEntry | TracedVote, ChildProcess>;
  /** Where the traced vote replicas send their spans. */
  sink: OtlpSink;
  /** Peak resident memory (VmHWM) of each process so far, in MB. */
  peakRssMb: () => Promise<Record<string, number>>;
  /** The processes whose CPU time is counted: each service, the baseline, and PostgreSQL when embedded. */
  cpuGroups: CpuGroups;
  stop: () => Promise<void>;
}

/**
 * A fresh database, the three services and the baseline server, each its own process. The
 * services run as their container images run them: `node dist/main.js` of the esbuild bundle
 * (`npm run build`, which `npm run bench` runs first), laid out as in the image, with no loader
 * in between, so their memory and start-up are what a pod sees. The baseline is bundled the same
 * way.
 */
export interface BenchDatabase {
  /** A fresh, migrated database of that name on the benchmark's server. */
  url: string;
  /** PostgreSQL's processes when the benchmark started it (embedded); none for DATABASE_URL. */
  postgresPids: () => Promise<number[]>;
  stop: () => Promise<void>;
}

/**
 * The benchmark's PostgreSQL (embedded unless DATABASE_URL is set) with fresh, migrated
 * databases of the given names, the first one's URL in `url`; `urlOf` gives the others.
 */
export async function startBenchDatabase(
  names: string[],
): Promise<BenchDatabase & { urlOf: (name: string) => string }> {
  let embedded: EmbeddedDatabase | null = null;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    embedded = await startEmbeddedDatabase({
      dataDirectory: path.join(repositoryRoot, '.data/bench-postgres'),
      port: BENCH_EMBEDDED_PORT,
    });
    serverUrl = embedded.url;
  }
  const server = serverUrl;
  for (const name of names) {
    await dropDatabaseIfExists(server, name);
    await createDatabaseIfMissing(server, name);
    await migrateDatabase(databaseUrl(server, name));
  }
  return {
    url: databaseUrl(server, names[0] ?? 'postgres'),
    urlOf: (name) => databaseUrl(server, name),
    postgresPids: async () => {
      const pid = embedded ? await embedded.pid() : null;
      return pid === null ? [] : processTree(pid);
    },
    stop: async () => {
      await embedded?.stop();
    },
  };
}

/**
 * The result service holds up to 19,000 streams here, ~10 KB of heap each: past the image's
 * 96 MB heap, which fits its default cap of 5,000 streams (STREAM_MAX_CLIENTS; at 10,000 the
 * 96 MB heap ran out). A replica raised to hold more needs this heap and memory limit too
 * (docs/capacity.md).
 */
const STREAM_HEAP = { NODE_OPTIONS: '--max-old-space-size=384' };

export const BENCH_DATABASES = { services: 'voting_bench', capacity: 'voting_capacity' } as const;

export async function startBenchSystem(log: (line: string) => void): Promise<BenchSystem> {
  const entries = await layOutBundles();
  const database = await startBenchDatabase(Object.values(BENCH_DATABASES));
  const url = database.url;

  // Tracing is off unless a benchmark process is told otherwise: none of the caller's OTEL_*.
  const callerEnv = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('OTEL_')),
  );
  const env = {
    ...callerEnv,
    DATABASE_URL: url,
    VOTER_KEY_SECRET: 'bench-voter-key-secret-0123456789',
    LOG_LEVEL: 'warn',
    // The stream fan-out's clients all come from 127.0.0.1 (the result service reads only this).
    STREAM_MAX_CLIENTS_PER_ADDRESS: '100000',
    STREAM_MAX_CLIENTS: '100000',
    // wrk sends every request from 127.0.0.1, tens of thousands a second: the per-client rate
    // limits (docs/abuse-limits.md) would refuse all but the first few thousand. The benchmark
    // measures the services, not the limiter; the worker ignores the variable.
    RATE_LIMITS: 'off',
  };
  const services = ['vote', 'result', 'worker'] as const;
  const processes = {} as Record<BenchEntry | TracedVote, ChildProcess>;
  for (const name of services) {
    const serviceEnv = {
      ...env,
      ...(await imageEnv(name)),
      ...(name === 'result' && STREAM_HEAP),
      PORT: String(ports[name]),
    };
    processes[name] = spawnNode(name, [entries[name]], serviceEnv, log);
  }
  const sink = await startOtlpSink();
  for (const [name, traced] of Object.entries(TRACED_VOTES) as [
    TracedVote,
    (typeof TRACED_VOTES)[TracedVote],
  ][]) {
    const serviceEnv = {
      ...env,
      ...(await imageEnv('vote')),
      OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
      ...traced.env,
      PORT: String(traced.port),
    };
    processes[name] = spawnNode(name, [entries.vote], serviceEnv, log);
  }
  const readyPorts = [
    ...services.map((name) => ports[name]),
    ...Object.values(TRACED_VOTES).map((traced) => traced.port),
  ];
  processes.baseline = spawnNode(
    'baseline',
    [entries.baseline],
    { PORT: String(ports.baseline) },
    log,
  );
  const running = Object.values(processes);
  try {
    await Promise.all(
      readyPorts.map((port) => waitUntilReady(port, 60_000, () => running.every(isRunning))),
    );
    if (!running.every(isRunning)) throw new Error('a benchmarked process exited during start-up');
    await waitForBaseline();
  } catch (error) {
    await stopProcesses(running);
    await sink.close();
    await database.stop();
    throw error;
  }

  return {
    databaseUrl: url,
    database,
    processes,
    sink,
    peakRssMb: async () => {
      const entries = await Promise.all(
        Object.entries(processes).map(
          async ([name, child]) => [name, await peakRss(child.pid)] as const,
        ),
      );
      return Object.fromEntries(entries);
    },
    cpuGroups: {
      ...Object.fromEntries(
        Object.entries(processes).map(([name, child]) => [name, async () => [child.pid ?? 0]]),
      ),
      postgres: database.postgresPids,
    },
    stop: async () => {
      await stopProcesses(Object.values(processes));
      await sink.close();
      await database.stop();
    },
  };
}

type BenchEntry = ServiceName | 'baseline';

/**
 * `.data/bench-apps/<service>/dist/main.js` beside `dist/web/` and `../migrations/`, as the
 * Dockerfiles lay them out (the bundles find both relative to themselves).
 */
async function layOutBundles(): Promise<Record<BenchEntry, string>> {
  await rm(appsDirectory, { recursive: true, force: true });
  const entries = {} as Record<BenchEntry, string>;
  for (const name of ['vote', 'result', 'worker'] as const) {
    const bundle = path.join(repositoryRoot, 'services', name, 'dist/main.js');
    if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run \`npm run build\` first`);
    const app = path.join(appsDirectory, name);
    await mkdir(path.join(app, 'dist'), { recursive: true });
    await copyFile(bundle, path.join(app, 'dist/main.js'));
    await symlink(path.join(repositoryRoot, 'web/dist'), path.join(app, 'dist/web'));
    await symlink(
      path.join(repositoryRoot, 'packages/db/migrations'),
      path.join(app, 'migrations'),
    );
    entries[name] = path.join(app, 'dist/main.js');
  }
  entries.baseline = path.join(appsDirectory, 'baseline.js');
  await build({
    entryPoints: [path.join(import.meta.dirname, 'baseline-server.ts')],
    outfile: entries.baseline,
    bundle: true,
    platform: 'node',
    format: 'esm',
    logLevel: 'warning',
  });
  return entries;
}

/** The `ENV NAME=value` lines of a service's Dockerfile (NODE_OPTIONS, say), as its image sets them. */
async function imageEnv(name: ServiceName): Promise<Record<string, string>> {
  const dockerfile = await readFile(
    path.join(repositoryRoot, 'services', name, 'Dockerfile'),
    'utf8',
  );
  return Object.fromEntries(
    [...dockerfile.matchAll(/^ENV (\w+)=(\S+)$/gm)].map((match) => [match[1], match[2]]),
  );
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
