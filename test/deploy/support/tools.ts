import { spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

export const repositoryRoot = path.resolve(import.meta.dirname, '../../..');

/**
 * The path of a command-line tool, or an error naming what to install. The deployment checks
 * never skip: a missing tool fails the test with this message.
 */
export function requireTool(command: string, install: string): string {
  const where = findTool(command);
  if (where === null) throw new Error(`${command} is not installed: ${install}`);
  return where;
}

/** Where an executable of this name is on the PATH, or null. */
export function findTool(command: string): string | null {
  for (const directory of (process.env.PATH ?? '').split(path.delimiter)) {
    if (directory === '') continue;
    const candidate = path.join(directory, command);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return null;
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

/**
 * The command-line tools the deployment tests run, each with how to get it. One list for the
 * tests (requireTool) and for scripts/check-deploy-tools.ts, which `npm run test:deploy` runs
 * first to name every missing tool at once.
 */
export const DEPLOY_TOOLS = {
  git: "Debian's `git` package (apt-get install -y git), and a clone with its history (the upgrade checks read earlier releases' statements from it; `git fetch --unshallow` a shallow one)",
  kubectl:
    "install it from https://kubernetes.io/docs/tasks/tools/install-kubectl-linux/ (it bundles kustomize); not from Debian: bookworm's kubernetes-client is 1.20, too old for kustomize components",
  promtool:
    "Debian's `prometheus` package: bash scripts/install-deploy-tools.sh (or apt-get install -y prometheus)",
  'docker-compose':
    "Debian's `docker-compose` package: bash scripts/install-deploy-tools.sh (or apt-get install -y docker-compose)",
} as const;

export type DeployTool = keyof typeof DEPLOY_TOOLS;

export const kubectl = () => requireTool('kubectl', DEPLOY_TOOLS.kubectl);
export const promtool = () => requireTool('promtool', DEPLOY_TOOLS.promtool);
export const dockerCompose = () => requireTool('docker-compose', DEPLOY_TOOLS['docker-compose']);
