import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createClient, startEmbeddedDatabase } from '../src/index.ts';

const dataDirectory = path.resolve(import.meta.dirname, '../../../.data/embedded-orphan-test');
// Neither `npm start`'s (15432), the tests' (15433) nor the benchmark's (15434) port.
const port = 15435;

afterAll(async () => {
  await rm(dataDirectory, { recursive: true, force: true });
});

/** Starts the embedded database in a child process that a test can SIGKILL like a crashed launcher. */
function launcherThatDies(): Promise<number> {
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
      if (chunk.toString().includes('ready') && child.pid) resolve(child.pid);
    });
    child.on('exit', (code) => reject(new Error(`the launcher exited early (${code})`)));
  });
}

describe('the embedded PostgreSQL', () => {
  it('starts again after its launcher was killed, stopping the orphaned server first', async () => {
    const launcher = await launcherThatDies();
    process.kill(launcher, 'SIGKILL');

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
        /starting the embedded PostgreSQL on port 15435 failed[\s\S]*PostgreSQL log/,
      );
    } finally {
      await first.stop();
      await rm(`${dataDirectory}-second`, { recursive: true, force: true });
    }
  }, 60_000);
});
