/**
 * `/readyz` answers within 1 s whatever the database does (invariant 10), and a failing one
 * names no database address: a database that refuses, one that accepts and never answers (a
 * frozen server), and probes piling up on it, which share one check instead of one connection
 * each.
 */
import net from 'node:net';
import { createPool } from '@voting/db';
import { createLogger, type HttpApp } from '@voting/runtime';
import { createServiceApp } from '@voting/service';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/database.ts';

let db: TestDatabase;
let silent: net.Server;
let silentPort: number;
const connections: net.Socket[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  silent = net.createServer((socket) => connections.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentPort = (silent.address() as net.AddressInfo).port;
});
afterAll(async () => {
  for (const socket of connections) socket.destroy();
  silent?.close();
  await db?.drop();
});

async function appOn(url: string) {
  const pool = createPool({ connectionString: url, max: 5 });
  const context = { config: {}, pool, logger: createLogger('test', 'silent') };
  const { app } = await createServiceApp('test', context);
  return { app, pool };
}

async function readyz(app: HttpApp) {
  const started = performance.now();
  const answer = await app.inject({ url: '/readyz' });
  return { answer, ms: performance.now() - started };
}

it('is ready on a reachable database with a current schema', async () => {
  const { app, pool } = await appOn(db.url);
  const { answer } = await readyz(app);
  expect(answer.statusCode).toBe(200);
  await app.close();
  await pool.end();
});

it('answers 503 within 1 s, naming no address, when the database refuses or never answers', async () => {
  for (const url of [
    'postgres://someone@127.0.0.1:1/somewhere',
    `postgres://someone@127.0.0.1:${silentPort}/somewhere`,
  ]) {
    const { app, pool } = await appOn(url);
    // Ten probes at once, as a slow database makes them pile up.
    const answers = await Promise.all(Array.from({ length: 10 }, () => readyz(app)));
    for (const { answer, ms } of answers) {
      expect(ms, url).toBeLessThan(1000);
      expect(answer.statusCode).toBe(503);
      expect(answer.json()).toMatchObject({ error: 'not_ready' });
      expect(answer.body).not.toMatch(/127\.0\.0\.1|someone|somewhere|ECONNREFUSED/);
      expect(answer.body).not.toContain(String(silentPort));
    }
    // They shared one check: one connection attempt, not ten.
    expect(pool.totalCount).toBeLessThanOrEqual(1);
    await app.close();
    await pool.end().catch(() => undefined);
  }
  expect(connections.length).toBe(1);
});
