import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import {
  acceptsOpenMetrics,
  type ErrorBody,
  type HttpApp,
  type Logger,
  METRICS_CONTENT_TYPES,
  type MetricsFormat,
  renderMetrics,
} from '@voting/runtime';
import type { Registry } from 'prom-client';

/**
 * Where `createServiceApp` keeps each app's registry, so that `runService` serves it on the
 * metrics port and in-process tests read it (`scrapeMetrics`) without a `/metrics` route on the
 * app's own port.
 */
const registries = new WeakMap<HttpApp, Registry>();

export function attachRegistry(app: HttpApp, registry: Registry): void {
  registries.set(app, registry);
}

/** The registry of an app built by `createServiceApp`. */
export function registryOf(app: HttpApp): Registry {
  const registry = registries.get(app);
  if (!registry) throw new Error('this app was not built by createServiceApp: it has no registry');
  return registry;
}

/**
 * The Prometheus text (or, asked for, the OpenMetrics text with exemplars) the app's metrics port
 * answers, for tests that run the app in-process. Always a fresh rendering (never one that started
 * before the call), so a test sees what it did.
 */
export function scrapeMetrics(app: HttpApp, format: MetricsFormat = 'prometheus'): Promise<string> {
  return renderMetrics(registryOf(app), format);
}

/**
 * Least time between two renderings of a registry for the metrics port: a scrape within it of the
 * last one gets the same bytes. Prometheus scrapes every 15 s or so and never notices; clients
 * looping on the port cost at most one rendering (~5–10 ms of CPU at the worst case, and a
 * database read on vote) per second instead of one per request. Each rendering is encoded and
 * gzipped once (Prometheus asks for gzip: 122 KB become ~9 KB).
 */
export const METRICS_RENDER_INTERVAL_MS = 1000;

/**
 * Least time between two answers of one metrics listener: a request that comes sooner waits its
 * turn (at most 32 connections wait, so at most ~3 s). Answering at all costs ~0.3 ms of CPU, so
 * 4 clients looping on the port, even on a shared gzipped rendering, took votes from 2,823/s to
 * 817/s (1,475 answers a second); paced, from 1,825/s to 1,744/s (docs/performance.md,
 * "Metrics"). Prometheus, once per 15 s or so per server, never waits.
 */
export const METRICS_MIN_ANSWER_INTERVAL_MS = 100;

interface Rendering {
  plain: Buffer;
  gzipped: Buffer;
}

const gzipAsync = promisify(gzip);

interface SharedRendering {
  rendering: Promise<Rendering>;
  at: number;
}

/**
 * Per registry and format: the rendering under way (scrapes arriving meanwhile share it), or the
 * last one.
 */
const renderings = new WeakMap<Registry, Partial<Record<MetricsFormat, SharedRendering>>>();

function renderShared(registry: Registry, format: MetricsFormat): Promise<Rendering> {
  let formats = renderings.get(registry);
  if (!formats) {
    formats = {};
    renderings.set(registry, formats);
  }
  const last = formats[format];
  if (last && performance.now() - last.at < METRICS_RENDER_INTERVAL_MS) return last.rendering;
  const entry: SharedRendering = {
    rendering: renderMetrics(registry, format).then(async (text) => {
      const plain = Buffer.from(text);
      return { plain, gzipped: await gzipAsync(plain) };
    }),
    at: performance.now(),
  };
  formats[format] = entry;
  // A failed rendering is not kept: the next scrape tries again.
  const kept = formats;
  entry.rendering.catch(() => {
    if (kept[format] === entry) delete kept[format];
  });
  return entry.rendering;
}

const acceptsGzip = (request: http.IncomingMessage) =>
  /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));

/** How far above PORT the metrics listener is when METRICS_PORT is not set. */
export const METRICS_PORT_OFFSET = 1000;

/**
 * The metrics port of a service: METRICS_PORT, else PORT + 1000. Throws, naming the variable,
 * when the two would clash or the derived port does not exist.
 */
export function metricsPort(config: { PORT: number; METRICS_PORT?: number }): number {
  const port = config.METRICS_PORT ?? config.PORT + METRICS_PORT_OFFSET;
  if (port === config.PORT)
    throw new Error(`invalid configuration: METRICS_PORT must differ from PORT (${config.PORT})`);
  if (port > 65535)
    throw new Error(
      `invalid configuration: PORT ${config.PORT} + ${METRICS_PORT_OFFSET} is not a port: set METRICS_PORT`,
    );
  return port;
}

const errorBody = (error: string, message: string): string =>
  JSON.stringify({ error, message } satisfies ErrorBody);

/**
 * The metrics listener: a bare node:http server that answers `GET /metrics` (and HEAD) with the
 * registry's Prometheus text, or its OpenMetrics text (with the duration histogram's exemplars)
 * when the scraper's Accept asks for that (rendered at most once a second per format,
 * METRICS_RENDER_INTERVAL_MS; gzipped when the client accepts it, as Prometheus does), and
 * anything else with the project's JSON
 * errors; at most one answer per METRICS_MIN_ANSWER_INTERVAL_MS, whoever asks. No routing, body parsing or logging per request:
 * it serves one scraper. Slow or idle clients are cut.
 */
export function createMetricsServer(registry: Registry, logger: Logger): http.Server {
  /** When the next answer may go. */
  let nextTurn = 0;
  const server = http.createServer((request, response) => {
    const now = performance.now();
    const wait = Math.max(0, nextTurn - now);
    nextTurn = now + wait + METRICS_MIN_ANSWER_INTERVAL_MS;
    if (wait === 0) respond(request, response);
    else
      setTimeout(() => {
        if (!response.destroyed) respond(request, response);
      }, wait).unref();
  });

  function respond(request: http.IncomingMessage, response: http.ServerResponse): void {
    const path = (request.url ?? '/').split('?')[0];
    const answer = (
      status: number,
      body: string | Buffer,
      type: string,
      headers: http.OutgoingHttpHeaders = {},
    ) => {
      response.writeHead(status, {
        'content-type': type,
        'content-length': Buffer.byteLength(body),
        'cache-control': 'no-store',
        ...headers,
      });
      response.end(request.method === 'HEAD' ? undefined : body);
    };
    const json = 'application/json; charset=utf-8';
    if (path !== '/metrics') {
      answer(404, errorBody('not_found', `no route for ${request.method} ${path}`), json);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD');
      answer(405, errorBody('method_not_allowed', 'the metrics port answers GET only'), json);
      return;
    }
    // Prometheus asks for OpenMetrics first (its Accept), and gets the exemplars with it.
    const format: MetricsFormat = acceptsOpenMetrics(request.headers.accept)
      ? 'openmetrics'
      : 'prometheus';
    const type =
      format === 'openmetrics' ? METRICS_CONTENT_TYPES.openmetrics : registry.contentType;
    renderShared(registry, format).then(
      (rendering) =>
        acceptsGzip(request)
          ? answer(200, rendering.gzipped, type, {
              'content-encoding': 'gzip',
              vary: 'accept, accept-encoding',
            })
          : answer(200, rendering.plain, type, { vary: 'accept, accept-encoding' }),
      (err: Error) => {
        logger.error({ err }, 'rendering the metrics failed');
        answer(500, errorBody('internal_error', 'something went wrong on our side'), json);
      },
    );
  }
  // A scrape answers in milliseconds; nothing here waits for a slow client.
  server.headersTimeout = 5000;
  server.requestTimeout = 10_000;
  server.keepAliveTimeout = 65_000;
  // Prometheus holds one connection per target; a few more for people with curl, no more.
  server.maxConnections = 32;
  return server;
}

/** Listens on `port` (0: any free port) and resolves with the port it got. */
export function listenMetrics(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Stops the metrics listener: idle keep-alive connections go at once, a scrape in flight ends. */
export function closeMetrics(server: http.Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 1000).unref();
  });
}
