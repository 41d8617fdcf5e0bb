/**
 * The metrics listener every service runs beside its app (METRICS_PORT): GET /metrics and
 * nothing else, JSON errors, one rendering for scrapes that arrive together, and how its port
 * is chosen.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { createLogger, createRegistry } from '@voting/runtime';
import {
  closeMetrics,
  createMetricsServer,
  listenMetrics,
  METRICS_MIN_ANSWER_INTERVAL_MS,
  METRICS_PORT_OFFSET,
  METRICS_RENDER_INTERVAL_MS,
  metricsPort,
} from '@voting/service';
import { Counter } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const registry = createRegistry('test');
const scrapes = new Counter({ name: 'test_things_total', help: 'things', registers: [registry] });
const server = createMetricsServer(registry, createLogger('test', 'silent'));
let base: string;

beforeAll(async () => {
  await listenMetrics(server, 0, '127.0.0.1');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => closeMetrics(server));

describe('the metrics listener', () => {
  it('answers GET /metrics with the registry in Prometheus text', async () => {
    scrapes.inc(3);
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(registry.contentType);
    const text = await response.text();
    expect(text).toMatch(/^test_things_total\{service="test"\} 3$/m);
    expect(text).toContain('# TYPE process_cpu_seconds_total counter');
  });

  it('gzips the text for a client that asks, as Prometheus does', async () => {
    const raw = (headers: Record<string, string>) =>
      new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
        http
          .get(`${base}/metrics`, { headers }, (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () =>
              resolve({ headers: response.headers, body: Buffer.concat(chunks) }),
            );
          })
          .on('error', reject);
      });
    const zipped = await raw({ 'accept-encoding': 'gzip' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    const text = gunzipSync(zipped.body).toString();
    expect(text).toMatch(/^test_things_total\{service="test"\} \d+$/m);
    const plain = await raw({});
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(text);
  });

  it('answers anything else with the project’s JSON errors', async () => {
    const other = await fetch(`${base}/readyz`);
    expect(other.status).toBe(404);
    expect(await other.json()).toEqual({ error: 'not_found', message: 'no route for GET /readyz' });
    const post = await fetch(`${base}/metrics`, { method: 'POST', body: '{}' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect(await post.json()).toMatchObject({ error: 'method_not_allowed' });
  });

  it('renders once for scrapes that arrive together', async () => {
    let collects = 0;
    const slow = createRegistry('slow');
    new Counter({
      name: 'slow_total',
      help: 'slow',
      registers: [slow],
      async collect() {
        collects++;
        await new Promise((resolve) => setTimeout(resolve, 50));
      },
    });
    const slowServer = createMetricsServer(slow, createLogger('test', 'silent'));
    const port = await listenMetrics(slowServer, 0, '127.0.0.1');
    try {
      const answers = await Promise.all(
        Array.from({ length: 4 }, () => fetch(`http://127.0.0.1:${port}/metrics`)),
      );
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
      expect(collects).toBe(1);
    } finally {
      await closeMetrics(slowServer);
    }
  });
});

describe('the metrics listener under clients that loop on it', () => {
  it('renders at most once a second: a scrape within the interval gets the last text', async () => {
    const looped = createRegistry('looped');
    const things = new Counter({ name: 'looped_total', help: 'looped', registers: [looped] });
    const loopedServer = createMetricsServer(looped, createLogger('test', 'silent'));
    const port = await listenMetrics(loopedServer, 0, '127.0.0.1');
    const scrape = async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const value = (text: string) => /^looped_total\{[^}]*\} (\d+)$/m.exec(text)?.[1];
    try {
      things.inc();
      expect(value(await scrape())).toBe('1');
      things.inc();
      expect(value(await scrape())).toBe('1');
      await new Promise((resolve) => setTimeout(resolve, METRICS_RENDER_INTERVAL_MS));
      expect(value(await scrape())).toBe('2');
    } finally {
      await closeMetrics(loopedServer);
    }
  });

  it('answers one request per METRICS_MIN_ANSWER_INTERVAL_MS, whoever asks: the rest wait', async () => {
    const paced = createRegistry('paced');
    const pacedServer = createMetricsServer(paced, createLogger('test', 'silent'));
    const port = await listenMetrics(pacedServer, 0, '127.0.0.1');
    try {
      const started = performance.now();
      const answers = await Promise.all(
        Array.from({ length: 6 }, () => fetch(`http://127.0.0.1:${port}/metrics`)),
      );
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 200]);
      expect(performance.now() - started).toBeGreaterThanOrEqual(
        5 * METRICS_MIN_ANSWER_INTERVAL_MS - 5,
      );
    } finally {
      await closeMetrics(pacedServer);
    }
  });
});

describe('metricsPort', () => {
  it('is METRICS_PORT, else PORT + 1000', () => {
    expect(metricsPort({ PORT: 8080 })).toBe(8080 + METRICS_PORT_OFFSET);
    expect(metricsPort({ PORT: 8080, METRICS_PORT: 9100 })).toBe(9100);
  });

  it('refuses a clash with PORT, or a derived port that does not exist', () => {
    expect(() => metricsPort({ PORT: 8080, METRICS_PORT: 8080 })).toThrow(/METRICS_PORT/);
    expect(() => metricsPort({ PORT: 65000 })).toThrow(/set METRICS_PORT/);
  });
});
