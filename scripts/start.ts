/**
 * `npm start`: the whole system on one machine. Starts the embedded PostgreSQL unless
 * DATABASE_URL is set, applies the migrations, runs vote, result and worker as separate processes
 * with their logs prefixed, and prints where they listen. It supervises what it started: a
 * service that dies is started again (with backoff) while the others keep serving, and so is the
 * embedded PostgreSQL, from which the services recover by themselves. Ctrl-C or SIGTERM stops all
 * of it.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import {
  createDatabaseIfMissing,
  databaseUrl,
  type EmbeddedDatabase,
  type EmbeddedDatabaseOptions,
  migrateDatabase,
  startEmbeddedDatabase,
} from '@voting/db';
import {
  Backoff,
  isRunning,
  repositoryRoot,
  type ServiceName,
  seconds,
  spawnService,
  spawnWarmSpare,
  stopProcesses,
  type WarmSpare,
  waitUntilReady,
} from './service-processes.ts';

const dataDirectory = path.join(repositoryRoot, '.data');
const EMBEDDED_PORT = Number(process.env.EMBEDDED_POSTGRES_PORT ?? 15432);
const EMBEDDED_DATA_DIRECTORY = path.resolve(
  process.env.EMBEDDED_POSTGRES_DATA_DIR ?? path.join(dataDirectory, 'postgres'),
);
const services = [
  { name: 'vote', port: Number(process.env.VOTE_PORT ?? 8080) },
  { name: 'result', port: Number(process.env.RESULT_PORT ?? 8081) },
  { name: 'worker', port: Number(process.env.WORKER_PORT ?? 8082) },
] as const;

const say = (line: string) => process.stdout.write(`[start] ${line}\n`);
/** The process of each service now (a restarted one replaces the one that died). */
const children = new Map<ServiceName, ChildProcess>();
const restartTimers = new Set<NodeJS.Timeout>();
let database: EmbeddedDatabase | null = null;
let databaseRestart: Promise<void> | null = null;
/** A process with every service's code loaded, ready to replace one that dies. */
let spare: WarmSpare | null = null;
const spareBackoff = new Backoff();
let spareAnnounced = false;
/** Once every service was ready: from then on a death is a restart, not a failed start. */
let supervising = false;
let stopping = false;

async function main(): Promise<void> {
  const started = Date.now();
  let url = process.env.DATABASE_URL;
  if (!url) {
    const relative = path.relative(repositoryRoot, EMBEDDED_DATA_DIRECTORY);
    say(`starting the embedded PostgreSQL on 127.0.0.1:${EMBEDDED_PORT} (data in ${relative})`);
    const options = { dataDirectory: EMBEDDED_DATA_DIRECTORY, port: EMBEDDED_PORT };
    database = await startEmbeddedDatabase(options);
    superviseDatabase(database, options);
    await createDatabaseIfMissing(database.url, 'voting');
    url = databaseUrl(database.url, 'voting');
  }
  const applied = await migrateDatabase(url);
  say(`schema current (${applied.length} migration(s) applied now)`);

  const env = {
    // The pages call vote and result on their own ports (docs/web.md). A page opened by one of
    // the machine's LAN addresses calls them by that address instead (a loopback URL names the
    // phone itself there), which these origins let through CORS and the pages' CSP.
    PUBLIC_VOTE_URL: `http://localhost:${services[0].port}`,
    PUBLIC_RESULT_URL: `http://localhost:${services[1].port}`,
    PUBLIC_EXTRA_ORIGINS: lanAddresses()
      .flatMap((address) =>
        [services[0].port, services[1].port].map((port) => `http://${address}:${port}`),
      )
      .join(','),
    ...process.env,
    DATABASE_URL: url,
    VOTER_KEY_SECRET: await voterKeySecret(),
  };
  for (const service of services) superviseService(service, { ...env, PORT: String(service.port) });
  await Promise.all(
    services.map((service) => waitUntilReady(service.port, 60_000, () => !stopping)),
  );
  supervising = true;
  keepWarmSpare();
  const took = ((Date.now() - started) / 1000).toFixed(1);
  say(`ready in ${took}s
    pages   http://localhost:${services[0].port}/   (create a round, vote, results, manage)${lanLines()}
    vote    http://localhost:${services[0].port}   (POST /rounds, POST /vote, GET /openapi.json)
    result  http://localhost:${services[1].port}   (GET /rounds/:id/results, /rounds/:id/results/stream)
    worker  http://localhost:${services[2].port}   (GET /readyz)
    database ${url.replace(/:[^:@/]*@/, ':***@')}
  A service or database that dies is started again. Ctrl-C stops everything.`);
}

/** The machine's IPv4 addresses other than loopback: where phones on its network reach it. */
function lanAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((entry) => entry !== undefined && entry.family === 'IPv4' && !entry.internal)
    .map((entry) => entry?.address ?? '');
}

/**
 * The pages by each LAN address, for phones: a QR code of `http://localhost:…` opens nothing on
 * them. The pages opened by such an address share links and QR codes made with it, and call the
 * services there (allowed by PUBLIC_EXTRA_ORIGINS, unless that was set otherwise).
 */
function lanLines(): string {
  return lanAddresses()
    .map(
      (address) =>
        `\n    LAN     http://${address}:${services[0].port}/   (phones on this network)`,
    )
    .join('');
}

/**
 * Runs a service and starts it again whenever it dies (SIGKILL included), after the restart
 * backoff; the other services keep serving meanwhile. The new process is the warm spare when one
 * is ready (it has the code loaded: ready in under a second), else a fresh one. A service that
 * dies before the system was first ready (a bad setting, a port in use) stops everything instead:
 * restarting would not help.
 */
function superviseService(service: (typeof services)[number], env: NodeJS.ProcessEnv): void {
  const backoff = new Backoff();
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const watch = (child: ChildProcess) => {
    const startedAt = Date.now();
    children.set(service.name, child);
    child.on('exit', (code, signal) => {
      if (stopping) return;
      const how = signal ?? `code ${code}`;
      if (!supervising) {
        say(`${service.name} exited (${how}) while starting; stopping everything`);
        void stop(1);
        return;
      }
      const exitedAt = Date.now();
      const delay = backoff.next(exitedAt - startedAt);
      say(
        `${service.name} exited (${how}) after ${seconds(exitedAt - startedAt)}; ` +
          `starting it again in ${seconds(delay)}`,
      );
      const timer = setTimeout(() => {
        restartTimers.delete(timer);
        if (stopping) return;
        const warm = spare?.ready ? spare : null;
        if (warm) spare = null;
        const again = warm ? warm.become(service.name, env) : spawnService(service.name, env, log);
        watch(again);
        waitUntilReady(service.port, 60_000, () => !stopping && isRunning(again))
          .then(
            () =>
              say(
                `${service.name} is back: ready ${seconds(Date.now() - exitedAt)} after it exited` +
                  (warm ? ' (from the warm spare)' : ''),
              ),
            () => undefined, // it died again, or the database is still away: logged as it happens
          )
          .finally(() => {
            if (warm) keepWarmSpare();
          });
      }, delay);
      restartTimers.add(timer);
    });
  };
  watch(spawnService(service.name, env, log));
}

/**
 * Keeps one warm spare (see spawnWarmSpare) while the system runs, so that any service that dies
 * comes back in about a second. A spare that dies before use is replaced after the backoff.
 */
function keepWarmSpare(): void {
  if (stopping || spare) return;
  const startedAt = Date.now();
  const candidate = spawnWarmSpare((line) => process.stdout.write(`${line}\n`));
  spare = candidate;
  if (!spareAnnounced)
    void candidate.whenReady.then((ready) => {
      if (!ready || spareAnnounced) return;
      spareAnnounced = true;
      say(
        `warm spare ready in ${seconds(Date.now() - startedAt)}: a service that dies is back in about a second`,
      );
    });
  candidate.child.once('exit', (code, signal) => {
    if (spare !== candidate || stopping) return; // it became a service, or we are stopping
    spare = null;
    const delay = spareBackoff.next(Date.now() - startedAt);
    say(`the warm spare exited (${signal ?? `code ${code}`}); another in ${seconds(delay)}`);
    const timer = setTimeout(() => {
      restartTimers.delete(timer);
      keepWarmSpare();
    }, delay);
    restartTimers.add(timer);
  });
}

/**
 * Starts the embedded PostgreSQL again whenever it exits (a crash, a kill -9): same folder, port
 * and password, so the services' connection string stays valid and their pools reconnect by
 * themselves. Its old processes may hold the shared memory for a moment after the postmaster
 * died; a start that fails is tried again after the backoff.
 */
function superviseDatabase(first: EmbeddedDatabase, options: EmbeddedDatabaseOptions): void {
  const backoff = new Backoff();
  let startedAt = Date.now();
  const watch = (server: EmbeddedDatabase) => {
    void server.exited.then(() => {
      if (stopping) return;
      const exitedAt = Date.now();
      let delay = backoff.next(exitedAt - startedAt);
      say(
        `PostgreSQL exited after ${seconds(exitedAt - startedAt)}; starting it again in ${seconds(delay)}`,
      );
      databaseRestart = (async () => {
        for (;;) {
          await sleep(delay);
          if (stopping) return;
          try {
            const restarted = await startEmbeddedDatabase(options);
            if (stopping) {
              await restarted.stop();
              return;
            }
            database = restarted;
            startedAt = Date.now();
            say(
              `PostgreSQL is back: accepting connections ${seconds(startedAt - exitedAt)} after it exited`,
            );
            watch(restarted);
            return;
          } catch (error) {
            delay = backoff.next(0);
            const reason = (error as Error).message.split('\n')[0];
            say(`PostgreSQL did not start (${reason}); trying again in ${seconds(delay)}`);
          }
        }
      })().finally(() => {
        databaseRestart = null;
      });
    });
  };
  watch(first);
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
  for (const timer of restartTimers) clearTimeout(timer);
  const running = [...children.values(), ...(spare ? [spare.child] : [])];
  if (servicesAlreadySignalled) {
    const exited = running
      .filter(isRunning)
      .map((child) => new Promise((resolve) => child.once('exit', resolve)));
    await Promise.race([Promise.all(exited), sleep(12_000)]);
  }
  await stopProcesses(running);
  await databaseRestart;
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
