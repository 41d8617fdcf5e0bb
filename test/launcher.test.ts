import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { freePort } from './support/processes.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });

describe('npm start (scripts/start.ts) with DATABASE_URL', () => {
  // SIGTERM goes to npm itself, as a supervisor or `timeout npm start` sends it: npm passes it
  // to its script, so the script must be the launcher (`exec`), not a shell that would die and
  // leave the launcher and everything it started running.
  it('runs the three services, prints their URLs, and on SIGTERM to npm leaves nothing running', async () => {
    const [vote, result, worker] = [await freePort(), await freePort(), await freePort()];
    const launcher = spawn(
      process.platform === 'win32' ? 'npm.cmd' : 'npm',
      ['start', '--silent'],
      {
        cwd: path.resolve(import.meta.dirname, '..'),
        env: {
          ...process.env,
          DATABASE_URL: db.url,
          VOTE_PORT: `${vote}`,
          RESULT_PORT: `${result}`,
          WORKER_PORT: `${worker}`,
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    const ready = new Promise<void>((resolve, reject) => {
      launcher.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('ready in')) resolve();
      });
      launcher.on('exit', (code) => reject(new Error(`launcher exited (${code}):\n${output}`)));
    });
    await ready;
    expect(output).toContain(`http://localhost:${vote}`);
    expect(output).toContain(`http://localhost:${result}`);

    const round = (await (
      await fetch(`http://127.0.0.1:${vote}/rounds`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      })
    ).json()) as { round_id: string };
    const ballot = await fetch(`http://127.0.0.1:${vote}/vote`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ round_id: round.round_id, option_id: 1 }),
    });
    expect(ballot.status).toBe(200);
    const resultsUrl = `http://127.0.0.1:${result}/rounds/${round.round_id}/results`;
    const results = (await (await fetch(resultsUrl)).json()) as {
      option_id: number;
      votes: number;
    }[];
    expect(results[0]).toMatchObject({ option_id: 1, votes: 1 });
    expect((await fetch(`http://127.0.0.1:${worker}/readyz`)).status).toBe(200);

    const exited = new Promise<number | null>((resolve) =>
      launcher.on('exit', (code) => resolve(code)),
    );
    launcher.kill('SIGTERM');
    expect(await exited).toBe(0);
    for (const port of [vote, result, worker]) expect(await listening(port)).toBe(false);
  }, 60_000);
});
