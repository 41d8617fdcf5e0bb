import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, startEmbeddedDatabase } from '../src/index.ts';

// Per process, so two test runs at once never share the folder or the port.
const dataDirectory = path.resolve(
  import.meta.dirname,
  `../../../.data/embedded-test-${process.pid}`,
);
let port = 0;

beforeAll(async () => {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
});

afterAll(async () => {
  await rm(dataDirectory, { recursive: true, force: true });
});

/** Starts the embedded database in a child process that a test can SIGKILL like a crashed launcher. */
function launcherThatDies(): Promise<ChildProcess> {
  const script = `
    import { startEmbeddedDatabase } from ${JSON.stringify(path.resolve(import.meta.dirname, '../src/index.ts'))};
    await startEmbeddedDatabase({ dataDirectory: ${JSON.stringify(dataDirectory)}, port: ${port} });
    console.log('ready');
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`the launcher exited early (${code})`)));
  });
}

describe('the embedded PostgreSQL', () => {
  it('starts again after its launcher was killed, stopping the orphaned server first', async () => {
    const launcher = await launcherThatDies();
    const died = new Promise((resolve) => launcher.once('exit', resolve));
    launcher.kill('SIGKILL');
    await died;

    const database = await startEmbeddedDatabase({ dataDirectory, port });
    const client = createClient(database.url);
    await client.connect();
    const answer = await client.query<{ one: number }>('SELECT 1 AS one');
    await client.end();
    await database.stop();
    expect(answer.rows[0]?.one).toBe(1);
  }, 60_000);

  it('turns a failed start into a message that carries the server log', async () => {
    const first = await startEmbeddedDatabase({ dataDirectory, port });
    try {
      // A second server on the same data folder cannot start: the first holds its lock.
      await expect(
        startEmbeddedDatabase({ dataDirectory: `${dataDirectory}-second`, port }),
      ).rejects.toThrow(
        new RegExp(
          `starting the embedded PostgreSQL on port ${port} failed[\\s\\S]*PostgreSQL log`,
        ),
      );
    } finally {
      await first.stop();
      await rm(`${dataDirectory}-second`, { recursive: true, force: true });
    }
  }, 60_000);

  it('refuses a data folder of another PostgreSQL major version, naming the folder', async () => {
    const other = `${dataDirectory}-other-major`;
    await mkdir(other, { recursive: true });
    await writeFile(path.join(other, 'PG_VERSION'), '9\n');
    try {
      await expect(startEmbeddedDatabase({ dataDirectory: other, port })).rejects.toThrow(
        `${other} holds a PostgreSQL 9 cluster, but the embedded PostgreSQL is version 17: delete that folder`,
      );
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it('leaves the exit code to the process that used it', async () => {
    // A test run that failed sets exitCode 1 and lets the event loop end; the package's own
    // exit hook used to turn that into 0.
    const script = `
      import { startEmbeddedDatabase } from ${JSON.stringify(path.resolve(import.meta.dirname, '../src/index.ts'))};
      const database = await startEmbeddedDatabase({ dataDirectory: ${JSON.stringify(dataDirectory)}, port: ${port} });
      await database.stop();
      process.exitCode = 3;`;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        stdio: 'inherit',
      },
    );
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(3);
  }, 60_000);
});
