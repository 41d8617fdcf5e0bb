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
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
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

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

async function waitForReady(
  port: number,
  child: ChildProcess,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}:\n${output()}`);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`not ready within 20 s:\n${output()}`);
}

test('the migration runner bundle finds the test database current', () => {
  const cwd = path.join(app, 'vote');
  const migrated = run(process.execPath, ['dist/migrate.js'], {
    cwd,
    env: { DATABASE_URL: database.url },
  });
  expect(migrated.stderr).toBe('');
  expect(migrated.status).toBe(0);
  expect(JSON.parse(migrated.stdout)).toEqual({ msg: 'migrations applied', applied: [] });
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
