/**
 * `npm start`: the whole system on one machine. Starts the embedded PostgreSQL unless
 * DATABASE_URL is set, applies the migrations, runs vote, result and worker as separate processes
 * with their logs prefixed, and prints where they listen. Ctrl-C or SIGTERM stops all of it.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import {
  createDatabaseIfMissing,
  databaseUrl,
  type EmbeddedDatabase,
  migrateDatabase,
  startEmbeddedDatabase,
} from '@voting/db';
import {
  isRunning,
  repositoryRoot,
  spawnService,
  stopProcesses,
  waitUntilReady,
} from './service-processes.ts';

const dataDirectory = path.join(repositoryRoot, '.data');
const EMBEDDED_PORT = Number(process.env.EMBEDDED_POSTGRES_PORT ?? 15432);
const services = [
  { name: 'vote', port: Number(process.env.VOTE_PORT ?? 8080) },
  { name: 'result', port: Number(process.env.RESULT_PORT ?? 8081) },
  { name: 'worker', port: Number(process.env.WORKER_PORT ?? 8082) },
] as const;

const say = (line: string) => process.stdout.write(`[start] ${line}\n`);
const children: ChildProcess[] = [];
let database: EmbeddedDatabase | null = null;
let stopping = false;

async function main(): Promise<void> {
  const started = Date.now();
  let url = process.env.DATABASE_URL;
  if (!url) {
    say(`starting the embedded PostgreSQL on 127.0.0.1:${EMBEDDED_PORT} (data in .data/postgres)`);
    database = await startEmbeddedDatabase({
      dataDirectory: path.join(dataDirectory, 'postgres'),
      port: EMBEDDED_PORT,
    });
    await createDatabaseIfMissing(database.url, 'voting');
    url = databaseUrl(database.url, 'voting');
  }
  const applied = await migrateDatabase(url);
  say(`schema current (${applied.length} migration(s) applied now)`);

  const env = {
    // The pages call vote and result on their own ports (docs/web.md); set these to reach the
    // services by another name, e.g. from a phone on the LAN.
    PUBLIC_VOTE_URL: `http://localhost:${services[0].port}`,
    PUBLIC_RESULT_URL: `http://localhost:${services[1].port}`,
    ...process.env,
    DATABASE_URL: url,
    VOTER_KEY_SECRET: await voterKeySecret(),
  };
  for (const service of services) {
    const child = spawnService(service.name, { ...env, PORT: String(service.port) }, (line) =>
      process.stdout.write(`${line}\n`),
    );
    child.on('exit', (code, signal) => {
      if (!stopping) {
        say(`${service.name} exited (${signal ?? code}); stopping everything`);
        void stop(1);
      }
    });
    children.push(child);
  }
  await Promise.all(
    services.map((service) => waitUntilReady(service.port, 60_000, () => !stopping)),
  );
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  say(`ready in ${seconds}s
    pages   http://localhost:${services[0].port}/   (create a round, vote, results, manage)
    vote    http://localhost:${services[0].port}   (POST /rounds, POST /vote, GET /openapi.json)
    result  http://localhost:${services[1].port}   (GET /rounds/:id/results, /rounds/:id/results/stream)
    worker  http://localhost:${services[2].port}   (GET /metrics)
    database ${url.replace(/:[^:@/]*@/, ':***@')}
  Ctrl-C stops everything.`);
}

async function voterKeySecret(): Promise<string> {
  if (process.env.VOTER_KEY_SECRET) return process.env.VOTER_KEY_SECRET;
  // Generated once and kept, so a voter keeps the same key across restarts.
  const file = path.join(dataDirectory, 'voter-key-secret');
  if (!existsSync(file)) {
    await mkdir(dataDirectory, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

/**
 * Stops the services, then the database. After Ctrl-C the terminal has already sent SIGINT to
 * every process of the group, so the services get a moment to stop on their own before SIGTERM
 * (a second signal would cut their graceful shutdown short).
 */
async function stop(code: number, servicesAlreadySignalled = false): Promise<void> {
  if (stopping) {
    process.exit(code);
  }
  stopping = true;
  say('stopping');
  if (servicesAlreadySignalled) {
    const exited = children
      .filter(isRunning)
      .map((child) => new Promise((resolve) => child.once('exit', resolve)));
    await Promise.race([Promise.all(exited), sleep(12_000)]);
  }
  await stopProcesses(children);
  await database?.stop();
  say('stopped');
  process.exit(code);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

process.on('SIGINT', () => void stop(0, process.stdin.isTTY === true));
process.on('SIGTERM', () => void stop(0));
main().catch(async (error: Error) => {
  process.stderr.write(`[start] ${error.message}\n`);
  await stop(1);
});
