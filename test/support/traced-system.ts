/**
 * The harness of the tracing tests (tracing.test.ts, tracing-spans.test.ts): vote, worker and
 * result built in-process on a database of the test file's own, each with the tracing
 * `runService` starts (`startTelemetry`), exporting by OTLP/HTTP to an in-test receiver.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createPool, type Pool } from '@voting/db';
import { createLogger, type HttpApp } from '@voting/runtime';
import { startTelemetry, type Telemetry } from '@voting/telemetry';
import { afterAll, beforeAll, expect, vi } from 'vitest';
import type { WorkerApp } from '../../services/worker/src/app.ts';
import { testResultApp, testVoteApp, testWorkerApp } from './apps.ts';
import { createTestDatabase, type TestDatabase, untilListening } from './database.ts';
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from './otlp-receiver.ts';
import { connectSse, type SseClient } from './sse-client.ts';

export let db: TestDatabase;
export let receiver: OtlpReceiver;
export const telemetry: Record<'vote' | 'worker' | 'result', Telemetry> = {} as never;
/** Every pool the harness and the tests made: ended after the file. */
export const pools: Pool[] = [];
export let vote: HttpApp;
export let worker: WorkerApp;
export let result: HttpApp;
export let resultUrl: string;
export const voteLog: Record<string, unknown>[] = [];
const clients: SseClient[] = [];

export const traceparentOf = (traceId: string, spanId: string) => `00-${traceId}-${spanId}-01`;
export const newTraceId = () => randomBytes(16).toString('hex');
export const newSpanId = () => randomBytes(8).toString('hex');

function tracedPool(service: keyof typeof telemetry): Pool {
  const pool = createPool({ connectionString: db.url, max: 5, tracer: telemetry[service].tracer });
  pools.push(pool);
  return pool;
}

/**
 * The three services with tracing on, exporting to an OTLP receiver of this test file: registers
 * the file's beforeAll and afterAll. The exported `let`s are live bindings, set by the beforeAll.
 */
export function useTracedSystem(): void {
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    // Only the standard variables, as a deployment sets them.
    vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', receiver.url);
    vi.stubEnv('OTEL_TRACES_SAMPLER', 'parentbased_always_on');
    vi.stubEnv('OTEL_RESOURCE_ATTRIBUTES', 'k8s.pod.name=pod-1,k8s.namespace.name=voting-test');
    vi.stubEnv('OTEL_BSP_SCHEDULE_DELAY', '50');
    db = await createTestDatabase();
    for (const service of ['vote', 'worker', 'result'] as const)
      telemetry[service] = await startTelemetry(service, { version: '9.9.9' });

    const voteLogger = createLogger('vote', 'debug', {
      write: (line: string) => {
        voteLog.push(JSON.parse(line));
      },
    });
    vote = await testVoteApp(db.url, tracedPool('vote'), {}, voteLogger, telemetry.vote);
    worker = await testWorkerApp(db.url, tracedPool('worker'), {}, undefined, telemetry.worker);
    result = await testResultApp(db.url, tracedPool('result'), {}, undefined, telemetry.result);
    // Listening starts the result's LISTEN connection; the worker's loop is stepped by hand.
    await result.listen({ host: '127.0.0.1', port: 0 });
    resultUrl = `http://127.0.0.1:${(result.server.address() as AddressInfo).port}`;
    // The worker's notifications reach the result only once it LISTENs.
    await untilListening(db.pool);
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await result?.close();
    await worker?.app.close();
    await vote?.close();
    for (const pool of pools) await pool.end();
    for (const service of Object.values(telemetry)) await service?.shutdown();
    await receiver?.close();
    await db?.drop();
    vi.unstubAllEnvs();
  });
}

export async function createRound(
  body: object = {},
): Promise<{ roundId: string; adminToken: string }> {
  const created = await vote.inject({
    method: 'POST',
    url: '/rounds',
    payload: { name: 'traced', options: ['A', 'B'], ...body },
  });
  expect(created.statusCode).toBe(201);
  const round = created.json();
  return { roundId: round.round_id, adminToken: round.admin_token };
}

export async function castVote(roundId: string, headers: Record<string, string> = {}) {
  const response = await vote.inject({
    method: 'POST',
    url: '/vote',
    payload: { round_id: roundId, option_id: 1 },
    headers: { 'x-voter-id': randomUUID(), ...headers },
  });
  expect(response.statusCode, response.body).toBe(200);
  return response;
}

export async function watch(
  roundId: string,
  headers: Record<string, string> = {},
): Promise<SseClient> {
  const client = await connectSse(`${resultUrl}/rounds/${roundId}/results/stream`, headers);
  clients.push(client);
  await client.waitForEvent(() => true);
  return client;
}

export const flush = () =>
  Promise.all(Object.values(telemetry).map((service) => service.forceFlush()));

export const inTrace = (traceId: string) =>
  receiver.spans.filter((span) => span.traceId === traceId);
export const linksTo = (span: ReceivedSpan, spanId: string) =>
  span.links.some((link) => link.spanId === spanId);
