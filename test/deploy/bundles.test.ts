/**
 * `npm run build` produces self-contained bundles: copied alone (no node_modules) into an
 * image-like folder with the migrations beside them, each service starts, reaches a real
 * PostgreSQL and answers /readyz; the migration runner finds the schema current; SIGTERM stops a
 * service with exit code 0.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { isRunning, waitUntilReady } from '../../scripts/service-processes.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { freePort } from '../support/processes.ts';
import { repositoryRoot, run } from './support/tools.ts';

const app = mkdtempSync(path.join(tmpdir(), 'voting-bundles-'));
let database: TestDatabase;
const children: ChildProcess[] = [];

beforeAll(async () => {
  const build = run(process.execPath, ['--import', 'tsx', 'scripts/build.ts']);
  expect(build.status, build.stderr).toBe(0);
  for (const service of ['vote', 'result', 'worker']) {
    mkdirSync(path.join(app, service));
    cpSync(path.join(repositoryRoot, `services/${service}/dist`), path.join(app, service, 'dist'), {
      recursive: true,
    });
    cpSync(
      path.join(repositoryRoot, 'packages/db/migrations'),
      path.join(app, service, 'migrations'),
      { recursive: true },
    );
  }
  cpSync(path.join(repositoryRoot, 'dist'), path.join(app, 'vote/dist'), { recursive: true });
  database = await createTestDatabase();
}, 60_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await database?.drop();
  rmSync(app, { recursive: true, force: true });
});

/** Ready, or a failure that carries the service's output (and its exit code if it died). */
async function waitForReady(
  port: number,
  child: ChildProcess,
  output: () => string,
): Promise<void> {
  await waitUntilReady(port, 20_000, () => isRunning(child)).catch((error: Error) => {
    throw new Error(`${error.message}:\n${output()}`);
  });
  if (!isRunning(child)) throw new Error(`exited with ${child.exitCode}:\n${output()}`);
}

test('the migration runner bundle finds the test database current', () => {
  const cwd = path.join(app, 'vote');
  const migrated = run(process.execPath, ['dist/migrate.js'], {
    cwd,
    env: { DATABASE_URL: database.url },
  });
  expect(migrated.stderr).toBe('');
  expect(migrated.status).toBe(0);
  // One JSON line through the services' logger.
  expect(JSON.parse(migrated.stdout)).toMatchObject({
    service: 'migrate',
    msg: 'migrations applied',
    applied: [],
  });
});

test.each(['vote', 'result', 'worker'])(
  'the %s bundle starts with no node_modules, is ready, and stops cleanly on SIGTERM',
  async (service) => {
    const port = await freePort();
    const child = spawn(process.execPath, ['dist/main.js'], {
      cwd: path.join(app, service),
      env: {
        PATH: process.env.PATH,
        NODE_PATH: '',
        DATABASE_URL: database.url,
        PORT: String(port),
        HOST: '127.0.0.1',
        VOTER_KEY_SECRET: 'bundle-test-voter-key-secret',
        LOG_LEVEL: 'info',
      },
    });
    children.push(child);
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    await waitForReady(port, child, () => output);
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toMatch(/"msg":"stopped"/);
  },
);
