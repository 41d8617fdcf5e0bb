/**
 * Tracing off, the default (docs/observability.md): with no OTLP endpoint set, `startTelemetry`
 * starts nothing, no span exists anywhere in a vote's path (not even for a request that sends a
 * sampled `traceparent`), nothing reaches a receiver, no log line or exemplar names a trace and no
 * change row carries one. A file of its own: OpenTelemetry's context manager is process-wide, and
 * here no test may have registered one.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { context, trace } from '@opentelemetry/api';
import { createPool, type Pool } from '@voting/db';
import { createLogger, type HttpApp } from '@voting/runtime';
import { scrapeMetrics } from '@voting/service';
import { startTelemetry, TELEMETRY_OFF } from '@voting/telemetry';
import pg from 'pg';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { WorkerApp } from '../services/worker/src/app.ts';
import { testResultApp, testVoteApp, testWorkerApp } from './support/apps.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { type OtlpReceiver, startOtlpReceiver } from './support/otlp-receiver.ts';

let db: TestDatabase;
let receiver: OtlpReceiver;
let pool: Pool;
let vote: HttpApp;
let worker: WorkerApp;
let result: HttpApp;
const lines: Record<string, unknown>[] = [];

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  // Everything but the endpoint: still off.
  vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', '');
  vi.stubEnv('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', '');
  vi.stubEnv('OTEL_SERVICE_NAME', 'vote');
  vi.stubEnv('OTEL_TRACES_SAMPLER', 'always_on');
  db = await createTestDatabase();
  const telemetry = await startTelemetry('vote');
  expect(telemetry).toBe(TELEMETRY_OFF);
  pool = createPool({ connectionString: db.url, max: 5, tracer: telemetry.tracer });
  const logger = createLogger('vote', 'debug', {
    write: (line: string) => {
      lines.push(JSON.parse(line));
    },
  });
  vote = await testVoteApp(db.url, pool, {}, logger, telemetry);
  worker = await testWorkerApp(db.url, pool, {}, undefined, telemetry);
  result = await testResultApp(db.url, pool, {}, undefined, telemetry);
});

afterAll(async () => {
  await result?.close();
  await worker?.app.close();
  await vote?.close();
  await pool?.end();
  await receiver?.close();
  await db?.drop();
  vi.unstubAllEnvs();
});

it('creates no span, sends nothing and names no trace, even for a sampled traceparent', async () => {
  // No provider, no context manager: whatever asks the API gets the no-op.
  expect(trace.getTracer('any').startSpan('any').isRecording()).toBe(false);
  expect(trace.getSpan(context.active())).toBeUndefined();
  // The pool is pg's own.
  expect(pool.query).toBe(pg.Pool.prototype.query);
  expect(pool.connect).toBe(pg.Pool.prototype.connect);

  const created = await vote.inject({ method: 'POST', url: '/rounds', payload: {} });
  const roundId = created.json().round_id as string;
  const traceId = randomBytes(16).toString('hex');
  const answer = await vote.inject({
    method: 'POST',
    url: '/vote',
    payload: { round_id: roundId, option_id: 1 },
    headers: {
      'x-voter-id': randomUUID(),
      traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
    },
  });
  expect(answer.statusCode).toBe(200);
  const pending = await db.pool.query<{ traceparent: string | null }>(
    'SELECT traceparent FROM ballot_changes WHERE round_id = $1',
    [roundId],
  );
  expect(pending.rows).toEqual([{ traceparent: null }]);
  await worker.loop.runOnce();
  expect(
    (await result.inject({ method: 'GET', url: `/rounds/${roundId}/results` })).json(),
  ).toEqual([
    { option_id: 1, label: 'A', votes: 1 },
    { option_id: 2, label: 'B', votes: 0 },
  ]);

  const requestLines = lines.filter((line) => line.reqId === answer.headers['x-request-id']);
  expect(requestLines.length).toBeGreaterThan(0);
  for (const line of lines) {
    expect(line).not.toHaveProperty('trace_id');
    expect(line).not.toHaveProperty('span_id');
  }
  expect(await scrapeMetrics(vote, 'openmetrics')).not.toMatch(/ # \{/);
  // Give an exporter, had one been started, the time of a batch.
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(receiver.requests).toBe(0);
  expect(receiver.spans).toEqual([]);
});

it('stays off with an endpoint when OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none', async () => {
  vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', receiver.url);
  vi.stubEnv('OTEL_SDK_DISABLED', 'true');
  expect(await startTelemetry('vote')).toBe(TELEMETRY_OFF);
  vi.stubEnv('OTEL_SDK_DISABLED', '');
  vi.stubEnv('OTEL_TRACES_EXPORTER', 'none');
  expect(await startTelemetry('vote')).toBe(TELEMETRY_OFF);
  expect(trace.getSpan(context.active())).toBeUndefined();
});
