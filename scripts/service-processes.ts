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
