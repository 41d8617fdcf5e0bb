import { spawnSync } from 'node:child_process';
import path from 'node:path';

export const repositoryRoot = path.resolve(import.meta.dirname, '../../..');

/**
 * The path of a command-line tool, or an error naming what to install. The deployment checks
 * never skip: a missing tool fails the test with this message.
 */
export function requireTool(command: string, install: string): string {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  const where = found.stdout.trim();
  if (found.status !== 0 || where === '') {
    throw new Error(`${command} is not installed: ${install}`);
  }
  return where;
}

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs a tool to completion and returns what it said, whatever its exit status. */
export function run(
  command: string,
  args: string[],
  options: { cwd?: string; input?: string; env?: Record<string, string | undefined> } = {},
): RunResult {
  const result = spawnSync(command, args, {
    cwd: options.cwd ?? repositoryRoot,
    input: options.input,
    env: options.env ? { ...process.env, ...options.env } : process.env,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export const kubectl = () =>
  requireTool(
    'kubectl',
    'install kubectl (it bundles kustomize): see https://kubernetes.io/docs/tasks/tools/',
  );
export const promtool = () =>
  requireTool('promtool', "install Debian's `prometheus` package (apt-get install -y prometheus)");
export const dockerCompose = () =>
  requireTool(
    'docker-compose',
    "install Debian's `docker-compose` package (apt-get install -y docker-compose)",
  );
