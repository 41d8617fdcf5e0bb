import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

export const repositoryRoot = path.resolve(import.meta.dirname, '..');
export type ServiceName = 'vote' | 'result' | 'worker';

/**
 * Runs one service from source as its own process (`node --import tsx`, so its pid is the
 * service itself), with each output line prefixed by its name unless `log` is false.
 */
export function spawnService(
  name: ServiceName,
  env: NodeJS.ProcessEnv,
  log: false | ((line: string) => void),
): ChildProcess {
  const entry = path.join(repositoryRoot, 'services', name, 'src/main.ts');
  return spawnNode(name, ['--import', 'tsx', entry], env, log);
}

/** `node <args>` as its own process, each output line prefixed by `label` unless `log` is false. */
export function spawnNode(
  label: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  log: false | ((line: string) => void),
): ChildProcess {
  const child = spawn(process.execPath, args, {
    env,
    stdio: ['ignore', log ? 'pipe' : 'ignore', log ? 'pipe' : 'inherit'],
  });
  if (log) {
    const prefix = `[${label.padEnd(6)}]`;
    for (const stream of [child.stdout, child.stderr]) {
      if (stream)
        readline.createInterface({ input: stream }).on('line', (line) => log(`${prefix} ${line}`));
    }
  }
  return child;
}

/** Polls `/readyz` until it answers 200, or throws after `timeoutMs`. */
export async function waitUntilReady(
  port: number,
  timeoutMs = 60_000,
  stillWaiting: () => boolean = () => true,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && stillWaiting()) {
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  if (stillWaiting())
    throw new Error(
      `the service on port ${port} did not become ready within ${timeoutMs / 1000} s`,
    );
}

export function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** Sends SIGTERM to those still running and waits for all of them to exit. */
export async function stopProcesses(children: ChildProcess[]): Promise<void> {
  const running = children.filter(isRunning);
  const exited = running.map(
    (child) => new Promise<void>((resolve) => child.once('exit', () => resolve())),
  );
  for (const child of running) child.kill('SIGTERM');
  await Promise.all(exited);
}

/**
 * Restart delays of a supervised process: 0.5 s, doubling up to 10 s while it keeps dying soon
 * after each start; back to 0.5 s once a run lasted 30 s. A crash now and then is restarted at
 * once, a crash loop is not a busy loop.
 */
export const RESTART_BACKOFF = { initialMs: 500, maxMs: 10_000, resetAfterMs: 30_000 } as const;

export class Backoff {
  #next: number;

  constructor(private readonly policy: typeof RESTART_BACKOFF = RESTART_BACKOFF) {
    this.#next = policy.initialMs;
  }

  /** The delay before the next start, given how long the run that just ended lasted. */
  next(ranForMs: number): number {
    if (ranForMs >= this.policy.resetAfterMs) this.#next = this.policy.initialMs;
    const delay = this.#next;
    this.#next = Math.min(this.#next * 2, this.policy.maxMs);
    return delay;
  }
}

/** A duration for a log line: "0.5 s", "12.3 s". */
export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** What a warm spare loads before it is needed: the code of every service. */
const SPARE_PRELOAD = [
  'packages/service/src/index.ts',
  'services/vote/src/app.ts',
  'services/result/src/app.ts',
  'services/worker/src/app.ts',
];

// Runs as `node --import tsx --input-type=module -e`: load, say so, wait to be told which
// service to become, then become it (its environment replaced by the service's own).
const SPARE_SCRIPT = `
import { pathToFileURL } from 'node:url';
const load = (file) => import(pathToFileURL(${JSON.stringify(`${repositoryRoot}/`)} + file).href);
await Promise.all(${JSON.stringify(SPARE_PRELOAD)}.map(load));
process.send({ ready: true });
process.once('message', (message) => {
  for (const key of Object.keys(process.env)) delete process.env[key];
  Object.assign(process.env, message.env);
  process.title = message.title;
  process.disconnect();
  load(message.entry);
});`;

export interface WarmSpare {
  child: ChildProcess;
  /** True once it has loaded every service's code and waits to become one. */
  readonly ready: boolean;
  /** Resolves true when it is ready, false if it exits first. */
  whenReady: Promise<boolean>;
  /** Makes it run service `name` with `env`; its output lines then carry that name. */
  become: (name: ServiceName, env: NodeJS.ProcessEnv) => ChildProcess;
}

/**
 * A Node.js process that has loaded tsx and the code of every service and waits, so that a
 * service that died can be started again without the seconds that loading takes from source
 * (measured: ~0.4 s from "become vote" to ready, against 3–6 s for a new process). It costs one
 * process of ~150 MB. It exits with the launcher: its IPC channel is all that keeps it alive.
 */
export function spawnWarmSpare(log: (line: string) => void): WarmSpare {
  let label = 'spare';
  let ready = false;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', SPARE_SCRIPT],
    { cwd: repositoryRoot, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
  );
  for (const stream of [child.stdout, child.stderr]) {
    if (stream)
      readline
        .createInterface({ input: stream })
        .on('line', (line) => log(`[${label.padEnd(6)}] ${line}`));
  }
  const whenReady = new Promise<boolean>((resolve) => {
    child.once('message', () => {
      ready = true;
      resolve(true);
    });
    child.once('exit', () => resolve(false));
  });
  return {
    child,
    whenReady,
    get ready() {
      return ready && isRunning(child);
    },
    become: (name, env) => {
      label = name;
      ready = false;
      child.send({
        entry: `services/${name}/src/main.ts`,
        env,
        title: `node services/${name}/src/main.ts`,
      });
      return child;
    },
  };
}
